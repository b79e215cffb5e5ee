// Surveys, iterations, invitation codes and sealed responses (issue 15, docs/protocol.md §10).
// The only writer of the survey_* tables. Dates only, never times of day; ids are random.
import type { IterationStatus, IterationSummary, SurveyDefinition } from '@sauti/core';
import type { Queryable } from './pool';

const day = (d: Date | string | null): string | null => (d === null ? null : typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));
const TODAY = "(now() AT TIME ZONE 'UTC')::date";

export type SurveyRow = { id: string; definition: SurveyDefinition; createdOn: string };

export async function insertSurvey(db: Queryable, s: { id: string; definition: SurveyDefinition; createdBy: string | null }): Promise<SurveyRow> {
  const { rows } = await db.query<{ created_on: string }>(
    `INSERT INTO surveys (id, definition, created_by) VALUES ($1, $2, $3) RETURNING created_on::text`,
    [s.id, JSON.stringify(s.definition), s.createdBy],
  );
  return { id: s.id, definition: s.definition, createdOn: rows[0]!.created_on };
}

export async function updateSurveyDefinition(db: Queryable, id: string, definition: SurveyDefinition): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE surveys SET definition = $2 WHERE id = $1', [id, JSON.stringify(definition)]);
  return rowCount === 1;
}

export async function findSurvey(db: Queryable, id: string): Promise<SurveyRow | null> {
  const { rows } = await db.query<{ id: string; definition: SurveyDefinition; created_on: string }>(
    'SELECT id, definition, created_on::text FROM surveys WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, definition: r.definition, createdOn: r.created_on } : null;
}

export async function listSurveys(db: Queryable): Promise<SurveyRow[]> {
  const { rows } = await db.query<{ id: string; definition: SurveyDefinition; created_on: string }>(
    'SELECT id, definition, created_on::text FROM surveys ORDER BY created_on DESC, id',
  );
  return rows.map((r) => ({ id: r.id, definition: r.definition, createdOn: r.created_on }));
}

export type IterationRow = IterationSummary & {
  surveyId: string;
  definition: SurveyDefinition;
  publicKey: Buffer;
};

const ITERATION_COLUMNS = `i.id, i.survey_id, i.number, i.status, i.open_link, i.definition, i.public_key,
  i.opened_on::text AS opened_on, i.closed_on::text AS closed_on,
  (SELECT count(*) FROM survey_responses r WHERE r.iteration_id = i.id)::int AS responses,
  (SELECT coalesce(sum(uses), 0) FROM survey_codes c WHERE c.iteration_id = i.id)::int AS codes_issued,
  (SELECT coalesce(sum(uses - uses_left), 0) FROM survey_codes c WHERE c.iteration_id = i.id)::int AS codes_redeemed`;

type IterationDbRow = {
  id: string;
  survey_id: string;
  number: number;
  status: IterationStatus;
  open_link: boolean;
  definition: SurveyDefinition;
  public_key: Buffer;
  opened_on: string;
  closed_on: string | null;
  responses: number;
  codes_issued: number;
  codes_redeemed: number;
};

const toIteration = (r: IterationDbRow): IterationRow => ({
  id: r.id,
  surveyId: r.survey_id,
  number: r.number,
  status: r.status,
  openLink: r.open_link,
  definition: r.definition,
  publicKey: r.public_key,
  openedOn: day(r.opened_on)!,
  closedOn: day(r.closed_on),
  responses: r.responses,
  codesIssued: r.codes_issued,
  codesRedeemed: r.codes_redeemed,
});

export async function listIterations(db: Queryable, surveyId: string): Promise<IterationRow[]> {
  const { rows } = await db.query<IterationDbRow>(`SELECT ${ITERATION_COLUMNS} FROM survey_iterations i WHERE i.survey_id = $1 ORDER BY i.number`, [surveyId]);
  return rows.map(toIteration);
}

export async function findIteration(db: Queryable, id: string): Promise<IterationRow | null> {
  const { rows } = await db.query<IterationDbRow>(`SELECT ${ITERATION_COLUMNS} FROM survey_iterations i WHERE i.id = $1`, [id]);
  return rows[0] ? toIteration(rows[0]) : null;
}

/** The iteration before this one of the same survey, for comparison. */
export async function findPreviousIterationId(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT p.id FROM survey_iterations i JOIN survey_iterations p ON p.survey_id = i.survey_id AND p.number = i.number - 1 WHERE i.id = $1`,
    [id],
  );
  return rows[0]?.id ?? null;
}

/** What a submission is checked against: status and the token key (no lock, no counts). */
export async function iterationGate(db: Queryable, id: string): Promise<{ status: IterationStatus; openLink: boolean; publicKey: Buffer } | null> {
  const { rows } = await db.query<{ status: IterationStatus; open_link: boolean; public_key: Buffer }>('SELECT status, open_link, public_key FROM survey_iterations WHERE id = $1', [id]);
  const r = rows[0];
  return r ? { status: r.status, openLink: r.open_link, publicKey: r.public_key } : null;
}

/** Locks the iteration row (status checks before a write) and returns what signing needs. */
export async function lockIteration(db: Queryable, id: string): Promise<{ status: IterationStatus; openLink: boolean; privateKey: Buffer; publicKey: Buffer } | null> {
  const { rows } = await db.query<{ status: IterationStatus; open_link: boolean; private_key: Buffer; public_key: Buffer }>(
    'SELECT status, open_link, private_key, public_key FROM survey_iterations WHERE id = $1 FOR SHARE',
    [id],
  );
  const r = rows[0];
  return r ? { status: r.status, openLink: r.open_link, privateKey: r.private_key, publicKey: r.public_key } : null;
}

export async function insertIteration(
  db: Queryable,
  it: { id: string; surveyId: string; openLink: boolean; definition: SurveyDefinition; publicKey: Uint8Array; privateKey: Uint8Array; analysts: { id: string; publicKey: Buffer }[] },
): Promise<number> {
  const { rows } = await db.query<{ number: number }>(
    `INSERT INTO survey_iterations (id, survey_id, number, status, open_link, definition, public_key, private_key, opened_on)
     SELECT $1, $2, coalesce(max(number), 0) + 1, 'open', $3, $4, $5, $6, ${TODAY} FROM survey_iterations WHERE survey_id = $2
     RETURNING number`,
    [it.id, it.surveyId, it.openLink, JSON.stringify(it.definition), Buffer.from(it.publicKey), Buffer.from(it.privateKey)],
  );
  for (const [position, a] of it.analysts.entries()) {
    await db.query('INSERT INTO survey_iteration_analysts (iteration_id, position, analyst_id, public_key) VALUES ($1, $2, $3, $4)', [it.id, position, a.id, a.publicKey]);
  }
  return rows[0]!.number;
}

export async function closeIteration(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE survey_iterations SET status = 'closed', closed_on = ${TODAY} WHERE id = $1 AND status = 'open'`, [id]);
  return rowCount === 1;
}

/** Active staff with a survey role and a public key: whom a new iteration seals responses to. */
export async function listSurveyAnalysts(db: Queryable): Promise<{ id: string; publicKey: Buffer }[]> {
  const { rows } = await db.query<{ id: string; public_key: Buffer }>(
    `SELECT id, public_key FROM staff_users
      WHERE status = 'active' AND public_key IS NOT NULL AND roles && ARRAY['analyst', 'admin']::text[]
      ORDER BY id`,
  );
  return rows.map((r) => ({ id: r.id, publicKey: r.public_key }));
}

export async function iterationAnalysts(db: Queryable, iterationId: string): Promise<{ id: string; publicKey: Buffer }[]> {
  const { rows } = await db.query<{ analyst_id: string; public_key: Buffer }>(
    'SELECT analyst_id, public_key FROM survey_iteration_analysts WHERE iteration_id = $1 ORDER BY position',
    [iterationId],
  );
  return rows.map((r) => ({ id: r.analyst_id, publicKey: r.public_key }));
}

export async function insertSurveyCodes(db: Queryable, iterationId: string, hashes: Buffer[], uses: number): Promise<void> {
  await db.query(
    `INSERT INTO survey_codes (code_hash, iteration_id, uses, uses_left, issued_on)
     SELECT h, $2, $3, $3, ${TODAY} FROM unnest($1::bytea[]) AS h`,
    [hashes, iterationId, uses],
  );
}

export type SpendCodeOutcome = 'spent' | 'unknown' | 'used';

/** Takes one use of a code of this iteration, in the caller's transaction. */
export async function spendSurveyCode(db: Queryable, iterationId: string, codeHash: Buffer): Promise<SpendCodeOutcome> {
  const { rowCount } = await db.query(
    'UPDATE survey_codes SET uses_left = uses_left - 1 WHERE code_hash = $1 AND iteration_id = $2 AND uses_left > 0',
    [codeHash, iterationId],
  );
  if (rowCount === 1) return 'spent';
  const { rows } = await db.query('SELECT 1 FROM survey_codes WHERE code_hash = $1 AND iteration_id = $2', [codeHash, iterationId]);
  return rows.length > 0 ? 'used' : 'unknown';
}

export async function findSurveyResponseDigest(db: Queryable, id: string): Promise<{ iterationId: string; requestDigest: Buffer; receivedOn: string } | null> {
  const { rows } = await db.query<{ iteration_id: string; request_digest: Buffer; received_on: string }>(
    'SELECT iteration_id, request_digest, received_on::text FROM survey_responses WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r ? { iterationId: r.iteration_id, requestDigest: r.request_digest, receivedOn: r.received_on } : null;
}

/** Inserts a response; false when its token was already spent (unique token_hash). */
export async function insertSurveyResponse(
  db: Queryable,
  r: { id: string; iterationId: string; tokenHash: Buffer | null; ciphertext: Buffer; keyWraps: Buffer[]; requestDigest: Buffer },
): Promise<string> {
  const { rows } = await db.query<{ received_on: string }>(
    `INSERT INTO survey_responses (id, iteration_id, token_hash, ciphertext, key_wraps, request_digest, received_on)
     VALUES ($1, $2, $3, $4, $5, $6, ${TODAY}) RETURNING received_on::text`,
    [r.id, r.iterationId, r.tokenHash, r.ciphertext, r.keyWraps, r.requestDigest],
  );
  return rows[0]!.received_on;
}

/** One page of an iteration's responses with the given analyst's wrap only, in id order. */
export async function listSurveyResponses(
  db: Queryable,
  iterationId: string,
  analystId: string,
  after: string | null,
  limit: number,
): Promise<{ id: string; ciphertext: Buffer; sealedKey: Buffer }[] | null> {
  const { rows: pos } = await db.query<{ position: number }>('SELECT position FROM survey_iteration_analysts WHERE iteration_id = $1 AND analyst_id = $2', [iterationId, analystId]);
  if (!pos[0]) return null;
  const { rows } = await db.query<{ id: string; ciphertext: Buffer; sealed_key: Buffer }>(
    `SELECT id, ciphertext, key_wraps[$2::int + 1] AS sealed_key FROM survey_responses
      WHERE iteration_id = $1 AND ($3::uuid IS NULL OR id > $3::uuid) ORDER BY id LIMIT $4`,
    [iterationId, pos[0].position, after, limit],
  );
  return rows.map((r) => ({ id: r.id, ciphertext: r.ciphertext, sealedKey: r.sealed_key }));
}

// --- e-mailed invitations (migration 012) -------------------------------------------------------

export type SurveyInvitationMail = { id: string; iterationId: string; email: string; code: string };

/** One row per address, until the worker has sent it (or the sweep expires it). */
export async function insertSurveyInvitationMails(db: Queryable, iterationId: string, mails: { id: string; email: string; code: string }[], keepDays: number): Promise<void> {
  await db.query(
    `INSERT INTO survey_invitation_mail (id, iteration_id, email, code, expires_on)
     SELECT id, $2, email, code, ${TODAY} + $3::integer
       FROM unnest($1::uuid[], $4::text[], $5::text[]) AS m(id, email, code)`,
    [mails.map((m) => m.id), iterationId, keepDays, mails.map((m) => m.email), mails.map((m) => m.code)],
  );
}

export async function findSurveyInvitationMail(db: Queryable, id: string): Promise<SurveyInvitationMail | null> {
  const { rows } = await db.query<{ id: string; iteration_id: string; email: string; code: string }>(
    `SELECT id, iteration_id, email, code FROM survey_invitation_mail WHERE id = $1 AND expires_on >= ${TODAY}`,
    [id],
  );
  const r = rows[0];
  return r ? { id: r.id, iterationId: r.iteration_id, email: r.email, code: r.code } : null;
}

export async function deleteSurveyInvitationMail(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM survey_invitation_mail WHERE id = $1', [id]);
}

/** The sweep: invitations that could not be sent in time are forgotten, address and code alike. */
export async function purgeExpiredSurveyInvitationMails(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM survey_invitation_mail WHERE expires_on < ${TODAY}`);
  return rowCount ?? 0;
}
