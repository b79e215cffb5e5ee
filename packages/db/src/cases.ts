import type { CaseStatus, ReportSubmission } from '@sauti/core';
import type { Queryable } from './pool';

const b = (value: string) => Buffer.from(value, 'base64url');

export type AcceptedCase = { id: string; reference: string; status: CaseStatus; receivedAt: Date };

export async function findCaseDigest(db: Queryable, id: string): Promise<(AcceptedCase & { requestDigest: Buffer }) | null> {
  const { rows } = await db.query<{ id: string; reference: string; status: CaseStatus; received_at: Date; request_digest: Buffer }>(
    'SELECT id, reference, status, received_at, request_digest FROM cases WHERE id = $1',
    [id],
  );
  const row = rows[0];
  return row ? { id: row.id, reference: row.reference, status: row.status, receivedAt: row.received_at, requestDigest: row.request_digest } : null;
}

/**
 * Writes a whole report — case, key wraps, identity wraps, first status, outbox event — inside the
 * caller's transaction. Nothing here is readable by the server.
 */
export async function insertCase(
  tx: Queryable,
  input: { submission: ReportSubmission; reference: string; requestDigest: Buffer; channel: string; outboxEventId: string },
): Promise<AcceptedCase> {
  const s = input.submission;
  const { rows } = await tx.query<{ received_at: Date }>(
    `INSERT INTO cases (id, reference, context_id, channel, category_id, region_id, language, urgent, excluded_recipient_ids,
                        report, request_digest, reporter_lookup, reporter_public_key, reporter_sealed_key,
                        identity_ciphertext, identity_reporter_sealed_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
     RETURNING received_at`,
    [
      s.id, input.reference, s.contextId, input.channel, s.routing.category, s.routing.region, s.routing.language, s.routing.urgent,
      s.excludedRecipientIds, b(s.report), input.requestDigest, b(s.reporter.lookup), b(s.reporter.publicKey), b(s.reporter.sealedKey),
      s.identity ? b(s.identity.ciphertext) : null, s.identity ? b(s.identity.reporterSealedKey) : null,
    ],
  );
  await tx.query(
    `INSERT INTO case_key_wraps (case_id, recipient_id, sealed_key)
     SELECT $1, * FROM unnest($2::uuid[], $3::bytea[])`,
    [s.id, s.keyWraps.map((w) => w.recipientId), s.keyWraps.map((w) => b(w.sealedKey))],
  );
  if (s.identity) {
    await tx.query(
      `INSERT INTO identity_wraps (case_id, recipient_id, sealed_key)
       SELECT $1, * FROM unnest($2::uuid[], $3::bytea[])`,
      [s.id, s.identity.keyWraps.map((w) => w.recipientId), s.identity.keyWraps.map((w) => b(w.sealedKey))],
    );
  }
  await tx.query(`INSERT INTO case_status_history (case_id, status, at) VALUES ($1, 'received', $2)`, [s.id, rows[0]!.received_at]);
  await enqueueOutbox(tx, { id: input.outboxEventId, topic: 'case.received', aggregateId: s.id });
  return { id: s.id, reference: input.reference, status: 'received', receivedAt: rows[0]!.received_at };
}

/** Adds an event to the outbox and wakes the relay when the transaction commits. */
export async function enqueueOutbox(
  tx: Queryable,
  event: { id: string; topic: string; aggregateId: string; payload?: Record<string, unknown> },
): Promise<void> {
  await tx.query('INSERT INTO outbox (id, topic, aggregate_id, payload) VALUES ($1, $2, $3, $4)', [
    event.id, event.topic, event.aggregateId, JSON.stringify(event.payload ?? {}),
  ]);
  await tx.query(`SELECT pg_notify('sauti_outbox', '')`);
}

export type ReporterCaseView = {
  id: string; reference: string; status: CaseStatus;
  statusHistory: { status: CaseStatus; at: Date }[];
  receivedAt: Date; acknowledgedAt: Date | null; feedbackDueAt: Date | null;
  report: Buffer; reporterSealedKey: Buffer;
  identity: { ciphertext: Buffer; reporterSealedKey: Buffer } | null;
  messages: { id: string; author: 'reporter' | 'staff'; body: Buffer; createdAt: Date }[];
};

export async function findCaseIdByLookup(db: Queryable, lookup: Buffer): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM cases WHERE reporter_lookup = $1', [lookup]);
  return rows[0]?.id ?? null;
}

/** What a reporter may see of its own case: its ciphertexts, public status, and no staff names. */
export async function getReporterCaseView(db: Queryable, caseId: string): Promise<ReporterCaseView | null> {
  const { rows } = await db.query<{
    id: string; reference: string; status: CaseStatus; received_at: Date; acknowledged_at: Date | null; feedback_due_at: Date | null;
    report: Buffer; reporter_sealed_key: Buffer; identity_ciphertext: Buffer | null; identity_reporter_sealed_key: Buffer | null;
  }>(
    `SELECT id, reference, status, received_at, acknowledged_at, feedback_due_at, report, reporter_sealed_key,
            identity_ciphertext, identity_reporter_sealed_key
       FROM cases WHERE id = $1`,
    [caseId],
  );
  const c = rows[0];
  if (!c) return null;
  const [history, messages] = await Promise.all([
    db.query<{ status: CaseStatus; at: Date }>('SELECT status, at FROM case_status_history WHERE case_id = $1 ORDER BY id', [caseId]),
    db.query<{ id: string; author: 'reporter' | 'staff'; body: Buffer; created_at: Date }>(
      'SELECT id, author, body, created_at FROM messages WHERE case_id = $1 ORDER BY created_at, id',
      [caseId],
    ),
  ]);
  return {
    id: c.id, reference: c.reference, status: c.status, statusHistory: history.rows,
    receivedAt: c.received_at, acknowledgedAt: c.acknowledged_at, feedbackDueAt: c.feedback_due_at,
    report: c.report, reporterSealedKey: c.reporter_sealed_key,
    identity: c.identity_ciphertext && c.identity_reporter_sealed_key
      ? { ciphertext: c.identity_ciphertext, reporterSealedKey: c.identity_reporter_sealed_key } : null,
    messages: messages.rows.map((m) => ({ id: m.id, author: m.author, body: m.body, createdAt: m.created_at })),
  };
}
