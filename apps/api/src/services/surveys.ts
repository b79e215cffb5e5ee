import { createHash, randomInt, randomUUID } from 'node:crypto';
import { generateSurveyKeyPair, ready, verifySurveyToken } from '@sauti/crypto';
import {
  fail,
  ok,
  SURVEY_CODE_LENGTH,
  type CodesCreated,
  type InvitationsQueued,
  type IterationSummary,
  type PublicIteration,
  type Result,
  type SurveyDefinition,
  type SurveyDetail,
  type SurveyIterationSummary,
  type SurveyResponsesPage,
  type SurveySubmission,
  type SurveySubmitAnswer,
  type SurveySummary,
} from '@sauti/core';
import {
  appendAudit,
  closeIteration,
  enqueueOutbox,
  findIteration,
  findPreviousIterationId,
  findSurvey,
  findSurveyResponseDigest,
  insertIteration,
  insertSurvey,
  insertSurveyCodes,
  insertSurveyInvitationMails,
  insertSurveyResponse,
  isUniqueViolation,
  iterationAnalysts,
  iterationGate,
  listIterations,
  listSurveyAnalysts,
  listSurveyResponses,
  listSurveys,
  lockIteration,
  spendPowChallenge,
  spendSurveyCode,
  updateSurveyDefinition,
  withTransaction,
  type Db,
  type IterationRow,
} from '@sauti/db';
import { POW_ALREADY_USED, type PowService } from './pow';
import { blindSign } from './survey-signing';

/** Crockford base32, as receipts (docs/protocol.md §1, §10.2). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function normalizeSurveyCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== SURVEY_CODE_LENGTH || [...s].some((c) => !ALPHABET.includes(c))) return null;
  return s;
}

export const surveyCodeHash = (normalized: string): Buffer => createHash('sha256').update(normalized, 'utf8').digest();
const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

function newCode(): string {
  let s = '';
  for (let i = 0; i < SURVEY_CODE_LENGTH; i++) s += ALPHABET[randomInt(32)];
  return s.match(/.{4}/g)!.join('-');
}

const summary = (it: IterationRow): IterationSummary => ({
  id: it.id, number: it.number, status: it.status, openLink: it.openLink, openedOn: it.openedOn, closedOn: it.closedOn,
  responses: it.responses, codesIssued: it.codesIssued, codesRedeemed: it.codesRedeemed,
});

// --- staff --------------------------------------------------------------------------------------

export async function createSurvey(pool: Db, definition: SurveyDefinition, staffId: string): Promise<Result<SurveyDetail>> {
  return withTransaction(pool, async (tx) => {
    const row = await insertSurvey(tx, { id: randomUUID(), definition, createdBy: staffId });
    await appendAudit(tx, { actorType: 'staff', actorId: staffId, action: 'survey.created', details: { surveyId: row.id } });
    return ok({ id: row.id, title: definition.title, createdOn: row.createdOn, definition, iterations: [] });
  });
}

export async function updateSurvey(pool: Db, id: string, definition: SurveyDefinition, staffId: string): Promise<Result<SurveyDetail>> {
  return withTransaction(pool, async (tx) => {
    if (!(await updateSurveyDefinition(tx, id, definition))) return fail('not_found', 'There is no such survey.');
    await appendAudit(tx, { actorType: 'staff', actorId: staffId, action: 'survey.updated', details: { surveyId: id } });
    const row = (await findSurvey(tx, id))!;
    // Iterations keep the questionnaires they were opened with.
    return ok({ id, title: definition.title, createdOn: row.createdOn, definition, iterations: (await listIterations(tx, id)).map(summary) });
  });
}

export async function surveyList(pool: Db): Promise<SurveySummary[]> {
  const out: SurveySummary[] = [];
  for (const s of await listSurveys(pool)) {
    out.push({ id: s.id, title: s.definition.title, createdOn: s.createdOn, iterations: (await listIterations(pool, s.id)).map(summary) });
  }
  return out;
}

export async function surveyDetail(pool: Db, id: string): Promise<Result<SurveyDetail>> {
  const s = await findSurvey(pool, id);
  if (!s) return fail('not_found', 'There is no such survey.');
  return ok({ id: s.id, title: s.definition.title, createdOn: s.createdOn, definition: s.definition, iterations: (await listIterations(pool, id)).map(summary) });
}

export async function iterationDetail(pool: Db, id: string): Promise<Result<SurveyIterationSummary>> {
  const it = await findIteration(pool, id);
  if (!it) return fail('not_found', 'There is no such survey iteration.');
  return ok({ ...summary(it), surveyId: it.surveyId, definition: it.definition, previousIterationId: await findPreviousIterationId(pool, id) });
}

/** Opens the next iteration: a fresh RFC 9474 key pair, the questionnaires and analysts frozen. */
export async function openIteration(pool: Db, surveyId: string, openLink: boolean, staffId: string): Promise<Result<IterationSummary>> {
  await ready();
  const keys = await generateSurveyKeyPair();
  try {
    return await withTransaction(pool, async (tx) => {
      const survey = await findSurvey(tx, surveyId);
      if (!survey) return fail('not_found', 'There is no such survey.');
      const analysts = await listSurveyAnalysts(tx);
      if (analysts.length === 0) {
        return fail('conflict', 'No active analyst or admin has activated an account yet, so responses could not be sealed to anyone. Activate one first.');
      }
      const id = randomUUID();
      await insertIteration(tx, { id, surveyId, openLink, definition: survey.definition, publicKey: keys.publicKey, privateKey: keys.privateKey, analysts });
      await appendAudit(tx, { actorType: 'staff', actorId: staffId, action: 'survey.iteration_opened', details: { surveyId, iterationId: id, openLink, analysts: analysts.length } });
      return ok(summary((await findIteration(tx, id))!));
    });
  } catch (error) {
    if (isUniqueViolation(error, 'survey_iterations_one_open')) {
      return fail('conflict', 'This survey already has an open iteration; close it before opening the next.');
    }
    throw error;
  }
}

export async function closeSurveyIteration(pool: Db, id: string, staffId: string): Promise<Result<IterationSummary>> {
  return withTransaction(pool, async (tx) => {
    const it = await findIteration(tx, id);
    if (!it) return fail('not_found', 'There is no such survey iteration.');
    if (!(await closeIteration(tx, id))) return fail('conflict', 'This iteration is already closed.');
    await appendAudit(tx, { actorType: 'staff', actorId: staffId, action: 'survey.iteration_closed', details: { surveyId: it.surveyId, iterationId: id } });
    return ok(summary((await findIteration(tx, id))!));
  });
}

/** Codes are shown once, in this answer; the server keeps only their SHA-256. */
export async function createSurveyCodes(pool: Db, iterationId: string, count: number, uses: number, staffId: string): Promise<Result<CodesCreated>> {
  return withTransaction(pool, async (tx) => {
    const it = await lockIteration(tx, iterationId);
    if (!it) return fail('not_found', 'There is no such survey iteration.');
    if (it.status !== 'open') return fail('conflict', 'This iteration is closed; open a new one to invite people.');
    const codes = Array.from({ length: count }, newCode);
    await insertSurveyCodes(tx, iterationId, codes.map((c) => surveyCodeHash(normalizeSurveyCode(c)!)), uses);
    await appendAudit(tx, { actorType: 'staff', actorId: staffId, action: 'survey.codes_issued', details: { iterationId, count, uses } });
    return ok({ codes, uses });
  });
}

/** Days an e-mailed invitation may wait for the SMTP server before the sweep forgets it. */
export const SURVEY_INVITATION_KEEP_DAYS = 7;

/**
 * §10.2a: one personal code per address, e-mailed by the worker. In one transaction: the codes'
 * SHA-256 (as createSurveyCodes), one short-lived survey_invitation_mail row per address holding
 * the address and the code, and one outbox event per row that carries only the row's id. The
 * worker deletes the row once the message is sent; the audit log records the count only.
 */
export async function sendSurveyInvitations(pool: Db, iterationId: string, emails: string[], staffId: string): Promise<Result<InvitationsQueued>> {
  return withTransaction(pool, async (tx) => {
    const it = await lockIteration(tx, iterationId);
    if (!it) return fail('not_found', 'There is no such survey iteration.');
    if (it.status !== 'open') return fail('conflict', 'This iteration is closed; open a new one to invite people.');
    const mails = emails.map((email) => ({ id: randomUUID(), email, code: newCode() }));
    await insertSurveyCodes(tx, iterationId, mails.map((m) => surveyCodeHash(normalizeSurveyCode(m.code)!)), 1);
    await insertSurveyInvitationMails(tx, iterationId, mails, SURVEY_INVITATION_KEEP_DAYS);
    for (const m of mails) await enqueueOutbox(tx, { id: randomUUID(), topic: 'survey.invitation', aggregateId: m.id });
    await appendAudit(tx, { actorType: 'staff', actorId: staffId, action: 'survey.invitations_sent', details: { iterationId, count: mails.length } });
    return ok({ queued: mails.length });
  });
}

/** Each analyst reads their own wrap only. */
export async function surveyResponsesPage(pool: Db, iterationId: string, staffId: string, after: string | null, limit: number): Promise<Result<SurveyResponsesPage>> {
  const rows = await listSurveyResponses(pool, iterationId, staffId, after, limit);
  if (rows === null) {
    return fail('forbidden', 'Responses of this iteration are not sealed to you (you were not an analyst when it opened).');
  }
  return ok({
    responses: rows.map((r) => ({ id: r.id, ciphertext: r.ciphertext.toString('base64url'), sealedKey: r.sealedKey.toString('base64url') })),
    next: rows.length === limit ? rows[rows.length - 1]!.id : null,
  });
}

/** A deliberate, audited step before an analyst's browser may save decrypted responses. */
export async function auditRawExport(pool: Db, iterationId: string, staffId: string, reason: string): Promise<Result<{ recorded: true }>> {
  return withTransaction(pool, async (tx) => {
    const it = await findIteration(tx, iterationId);
    if (!it) return fail('not_found', 'There is no such survey iteration.');
    await appendAudit(tx, { actorType: 'staff', actorId: staffId, action: 'survey.raw_export', details: { iterationId, reason } });
    return ok({ recorded: true as const });
  });
}

// --- respondents (§10.1–10.3) ------------------------------------------------------------------

export async function publicIteration(pool: Db, id: string): Promise<Result<PublicIteration>> {
  const it = await findIteration(pool, id);
  if (!it) return fail('not_found', 'There is no such survey. Check the link you were given.');
  const analysts = await iterationAnalysts(pool, id);
  return ok({
    id: it.id, surveyId: it.surveyId, number: it.number, status: it.status, openLink: it.openLink, openedOn: it.openedOn, definition: it.definition,
    publicKey: it.publicKey.toString('base64url'),
    analysts: analysts.map((a) => ({ id: a.id, publicKey: a.publicKey.toString('base64url') })),
    suite: 'RSABSSA-SHA384-PSS-Randomized',
  });
}

const CLOSED = 'This survey iteration is closed and no longer accepts answers.';

/** §10.2: one use of a code for one blind signature. The server never sees the token. */
export async function redeemSurveyCode(pool: Db, iterationId: string, code: string, blindedMessage: Buffer): Promise<Result<{ blindSignature: string }>> {
  const normalized = normalizeSurveyCode(code);
  if (!normalized) {
    return fail('invalid', 'That is not an invitation code: it has 16 letters and digits, e.g. 7K2M-9XQF-0ABC-DE12.', [{ field: 'code', message: 'is not 16 Crockford base32 symbols' }]);
  }
  return withTransaction(pool, async (tx) => {
    const it = await lockIteration(tx, iterationId);
    if (!it) return fail('not_found', 'There is no such survey. Check the link you were given.');
    if (it.status !== 'open') return fail('conflict', CLOSED);
    const spent = await spendSurveyCode(tx, iterationId, surveyCodeHash(normalized));
    if (spent === 'unknown') return fail('not_found', 'This invitation code is not valid for this survey. Check it for typos.', [{ field: 'code', message: 'is not a code of this survey iteration' }]);
    if (spent === 'used') return fail('conflict', 'This invitation code was already used. Each code gives one response.', [{ field: 'code', message: 'was already used' }]);
    const blindSignature = blindSign(it.privateKey, it.publicKey, blindedMessage);
    // Rolls the spent use back with the transaction.
    if (!blindSignature) throw new BadBlind();
    return ok({ blindSignature: blindSignature.toString('base64url') });
  }).catch((e: unknown) => {
    if (e instanceof BadBlind) return fail<{ blindSignature: string }>('invalid', 'The blinded message is not valid for this survey key.', [{ field: 'blindedMessage', message: 'is not below the key modulus' }]);
    throw e;
  });
}

class BadBlind extends Error {}

/** §10.3: check everything, then one transaction stores ciphertext, wraps, token hash and date. */
export async function submitSurveyResponse(
  deps: { pool: Db; pow: PowService },
  iterationId: string,
  s: SurveySubmission,
  rawBody: Buffer,
): Promise<Result<{ created: boolean; answer: SurveySubmitAnswer }>> {
  const digest = sha256(rawBody);
  const replay = await checkReplay(deps.pool, s.id, iterationId, digest);
  if (replay) return replay;

  const it = await iterationGate(deps.pool, iterationId);
  if (!it) return fail('not_found', 'There is no such survey. Check the link you were given.');
  if (it.status !== 'open') return fail('conflict', CLOSED);

  const analysts = await iterationAnalysts(deps.pool, iterationId);
  const wraps = new Map(s.keyWraps.map((w) => [w.analystId, w.sealedKey]));
  if (wraps.size !== s.keyWraps.length || analysts.length !== wraps.size || analysts.some((a) => !wraps.has(a.id))) {
    return fail('invalid', "The response must be sealed to exactly the iteration's analysts; reload the survey and try again.", [
      { field: 'keyWraps', message: 'must name every analyst of GET /api/v1/surveys/iterations/:id exactly once' },
    ]);
  }

  let tokenHash: Buffer | null = null;
  let pow: { digest: Buffer; expiresAt: Date } | null = null;
  if (s.token) {
    await ready();
    const message = Buffer.from(s.token.message, 'base64url');
    const valid = await verifySurveyToken(it.publicKey, iterationId, message, Buffer.from(s.token.signature, 'base64url'));
    if (!valid) {
      return fail('invalid', 'The participation token is not valid for this survey iteration (forged, altered, or from another iteration).', [
        { field: 'token', message: 'does not verify under this iteration’s key' },
      ]);
    }
    tokenHash = sha256(message);
  } else {
    if (!it.openLink) {
      return fail('invalid', 'This survey takes part by invitation only: redeem your invitation code first.', [{ field: 'token', message: 'is required for this iteration' }]);
    }
    const checked = deps.pow.check(s.pow!.challenge, s.pow!.nonce);
    if (!checked.ok) return checked;
    pow = checked.value;
  }

  try {
    const receivedOn = await withTransaction(deps.pool, async (tx) => {
      const locked = await lockIteration(tx, iterationId);
      if (locked?.status !== 'open') throw new Closed();
      if (pow && !(await spendPowChallenge(tx, pow.digest, pow.expiresAt))) throw new PowSpent();
      return insertSurveyResponse(tx, {
        id: s.id, iterationId, tokenHash, ciphertext: Buffer.from(s.ciphertext, 'base64url'),
        keyWraps: analysts.map((a) => Buffer.from(wraps.get(a.id)!, 'base64url')), requestDigest: digest,
      });
    });
    return ok({ created: true, answer: { id: s.id, receivedOn } });
  } catch (error) {
    const raced = await checkReplay(deps.pool, s.id, iterationId, digest);
    if (raced) return raced;
    if (error instanceof Closed) return fail('conflict', CLOSED);
    if (error instanceof PowSpent) return fail('invalid', POW_ALREADY_USED.message, [POW_ALREADY_USED.issue]);
    if (isUniqueViolation(error, 'survey_responses_token_hash_key')) {
      return fail('conflict', 'This invitation was already used to answer. Each invited person answers once.', [{ field: 'token', message: 'was already spent' }]);
    }
    throw error;
  }
}

class Closed extends Error {}
class PowSpent extends Error {}

async function checkReplay(pool: Db, id: string, iterationId: string, digest: Buffer): Promise<Result<{ created: boolean; answer: SurveySubmitAnswer }> | null> {
  const existing = await findSurveyResponseDigest(pool, id);
  if (!existing) return null;
  if (existing.iterationId === iterationId && existing.requestDigest.equals(digest)) return ok({ created: false, answer: { id, receivedOn: existing.receivedOn } });
  return fail('conflict', 'A different response was already submitted with this id. Generate a new id.', [{ field: 'id', message: 'is already used' }]);
}
