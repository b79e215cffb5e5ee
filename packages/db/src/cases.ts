import type { CaseStatus, Priority, ReportSubmission } from '@sauti/core';
import { OUTBOX_CHANNEL } from './outbox';
import type { Queryable } from './pool';
import { listMessagePage, type MessagePageLimits } from './messages';

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

const ACCEPT_CASE_SQL = `WITH pow AS (
   INSERT INTO pow_spent (challenge_digest, expires_at)
   SELECT $18::bytea, $19::timestamptz WHERE $18::bytea IS NOT NULL
   ON CONFLICT DO NOTHING RETURNING 1
 ), c AS (
   INSERT INTO cases (id, reference, context_id, channel, category_id, region_id, language, urgent, excluded_recipient_ids,
                      report, request_digest, reporter_lookup, reporter_public_key, reporter_sealed_key,
                      identity_ciphertext, identity_reporter_sealed_key, intake_channel)
   SELECT $1::uuid, $2::text, $3::uuid, $4::text, $5::text, $6::text, $7::text, $8::boolean, $9::uuid[],
          $10::bytea, $11::bytea, $12::bytea, $13::bytea, $14::bytea, $15::bytea, $16::bytea, $17::text
    WHERE $18::bytea IS NULL OR EXISTS (SELECT 1 FROM pow)
   ON CONFLICT (id) DO NOTHING
   RETURNING id, received_at
 ), wraps AS (
   INSERT INTO case_key_wraps (case_id, recipient_id, sealed_key)
   SELECT c.id, k.r, k.s FROM c, unnest($20::uuid[], $21::bytea[]) AS k(r, s)
 ), identity AS (
   INSERT INTO identity_wraps (case_id, recipient_id, sealed_key)
   SELECT c.id, k.r, k.s FROM c, unnest($22::uuid[], $23::bytea[]) AS k(r, s)
 ), history AS (
   INSERT INTO case_status_history (case_id, status, at) SELECT c.id, 'received', c.received_at FROM c
 ), outbox_event AS (
   INSERT INTO outbox (id, topic, aggregate_id, payload) SELECT $24::uuid, 'case.received', c.id, '{}'::jsonb FROM c
 ), audit AS (
   INSERT INTO audit_events (at, actor_type, actor_id, action, case_id, details)
   SELECT $25::timestamptz, $26::text, $27::uuid, $28::text, c.id, $29::jsonb FROM c
 )
 SELECT c.received_at, pg_notify('${OUTBOX_CHANNEL}', '') FROM c`;

/** Who or what let a report in: a spent proof-of-work challenge, or a signed-in intake officer. */
export type CaseGate =
  | { kind: 'pow'; challengeDigest: Buffer; expiresAt: Date }
  | { kind: 'officer'; officerId: string };

export type AcceptCaseInput = {
  submission: Omit<ReportSubmission, 'pow'>;
  reference: string;
  requestDigest: Buffer;
  channel: string;
  outboxEventId: string;
  intakeChannel: string;
  gate: CaseGate;
};

/**
 * Writes a whole report in ONE statement (issue 12: fewer statements per step) — the spent
 * challenge, the case, its key wraps and identity wraps, the first status, the outbox event (with
 * the relay's wake-up) and the audit entry — all or nothing, as a transaction would, but in one
 * round trip. Nothing here is readable by the server.
 *
 * Null when nothing was written: the challenge was already spent, or a case with this id exists
 * (the caller tells a retry from a conflict with findCaseDigest). Unique violations on the
 * reference or the reporter lookup raise, as the separate inserts did.
 */
export async function acceptCase(db: Queryable, input: AcceptCaseInput): Promise<AcceptedCase | null> {
  const s = input.submission;
  const pow = input.gate.kind === 'pow' ? input.gate : null;
  const audit = input.gate.kind === 'pow'
    ? { actorType: 'reporter', actorId: null, action: 'case.received', details: { contextId: s.contextId } }
    : { actorType: 'staff', actorId: input.gate.officerId, action: 'case.recorded_on_behalf', details: { contextId: s.contextId, intakeChannel: input.intakeChannel } };
  // A named statement: each connection parses and plans it once, not for every report.
  const { rows } = await db.query<{ received_at: Date }>({
    name: 'sauti_accept_case',
    text: ACCEPT_CASE_SQL,
    values: [
      s.id, input.reference, s.contextId, input.channel, s.routing.category, s.routing.region, s.routing.language, s.routing.urgent,
      s.excludedRecipientIds, b(s.report), input.requestDigest, b(s.reporter.lookup), b(s.reporter.publicKey), b(s.reporter.sealedKey),
      s.identity ? b(s.identity.ciphertext) : null, s.identity ? b(s.identity.reporterSealedKey) : null, input.intakeChannel,
      pow?.challengeDigest ?? null, pow?.expiresAt ?? null,
      s.keyWraps.map((w) => w.recipientId), s.keyWraps.map((w) => b(w.sealedKey)),
      (s.identity?.keyWraps ?? []).map((w) => w.recipientId), (s.identity?.keyWraps ?? []).map((w) => b(w.sealedKey)),
      input.outboxEventId,
      new Date().toISOString(), audit.actorType, audit.actorId, audit.action, JSON.stringify(audit.details),
    ],
  });
  const row = rows[0];
  return row ? { id: s.id, reference: input.reference, status: 'received', receivedAt: row.received_at } : null;
}

export type ReporterCaseRecord = {
  id: string; reference: string; status: CaseStatus;
  statusHistory: { status: CaseStatus; at: Date }[];
  receivedAt: Date; acknowledgedAt: Date | null; feedbackDueAt: Date | null;
  /** Set at triage from the context or the routing rule; null until then. */
  acknowledgeDueAt: Date | null;
  report: Buffer; reporterSealedKey: Buffer;
  identity: { ciphertext: Buffer; reporterSealedKey: Buffer } | null;
  /** The newest page of messages (oldest first); `olderMessages` fetches the page before it. */
  messages: { id: string; author: 'reporter' | 'staff'; body: Buffer; createdAt: Date }[];
  olderMessages: string | null;
};

export async function findCaseIdByLookup(db: Queryable, lookup: Buffer): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM cases WHERE reporter_lookup = $1', [lookup]);
  return rows[0]?.id ?? null;
}

/** What a reporter may see of its own case: its ciphertexts, public status, and no staff names. */
export async function getReporterCaseView(db: Queryable, caseId: string, page: MessagePageLimits): Promise<ReporterCaseRecord | null> {
  const { rows } = await db.query<{
    id: string; reference: string; status: CaseStatus; received_at: Date; acknowledged_at: Date | null; feedback_due_at: Date | null;
    acknowledge_due_at: Date | null; report: Buffer; reporter_sealed_key: Buffer; identity_ciphertext: Buffer | null; identity_reporter_sealed_key: Buffer | null;
  }>(
    `SELECT id, reference, status, received_at, acknowledged_at, feedback_due_at, acknowledge_due_at, report, reporter_sealed_key,
            identity_ciphertext, identity_reporter_sealed_key
       FROM cases WHERE id = $1`,
    [caseId],
  );
  const c = rows[0];
  if (!c) return null;
  const [history, messages] = await Promise.all([
    db.query<{ status: CaseStatus; at: Date }>('SELECT status, at FROM case_status_history WHERE case_id = $1 ORDER BY id', [caseId]),
    listMessagePage(db, caseId, null, page),
  ]);
  return {
    id: c.id, reference: c.reference, status: c.status, statusHistory: history.rows,
    receivedAt: c.received_at, acknowledgedAt: c.acknowledged_at, feedbackDueAt: c.feedback_due_at, acknowledgeDueAt: c.acknowledge_due_at,
    report: c.report, reporterSealedKey: c.reporter_sealed_key,
    identity: c.identity_ciphertext && c.identity_reporter_sealed_key
      ? { ciphertext: c.identity_ciphertext, reporterSealedKey: c.identity_reporter_sealed_key } : null,
    messages: (messages?.messages ?? []).map((m) => ({ id: m.id, author: m.author, body: m.body, createdAt: m.createdAt })),
    olderMessages: messages?.older ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Every write to `cases` after its insert lives below: intake, triage, staff status changes,
// sharing, identity disclosure, legal hold and retention call these, so that a reader finds in one
// place what can change a case row.

// An assignment's bookkeeping on the person (open-case count, assignment counter, last_assigned_at
// for the least-recently-assigned tie-break) is kept by the cases_assignee_bookkeeping trigger (migration 013).

/** Triage's result: routing (unit, priority, rule, feedback days), the acknowledgement deadline and the assignee. */
export async function assignCase(
  tx: Queryable,
  input: { caseId: string; userId: string | null; acknowledgeDueAt: Date; unitId: string | null; priority: Priority; ruleId: string | null; feedbackDays: number | null },
): Promise<void> {
  await tx.query(
    `UPDATE cases SET assignee_id = $2, triaged_at = now(), acknowledge_due_at = $3, unit_id = $4, priority = $5, routing_rule_id = $6, feedback_days = $7
      WHERE id = $1`,
    [input.caseId, input.userId, input.acknowledgeDueAt, input.unitId, input.priority, input.ruleId, input.feedbackDays],
  );
}

/** A holder hands the case on (or an admin re-assigns it). */
export async function setCaseAssignee(tx: Queryable, caseId: string, userId: string | null): Promise<void> {
  await tx.query('UPDATE cases SET assignee_id = $2 WHERE id = $1', [caseId, userId]);
}

/** Writes the new state and appends to the history the reporter sees (status and time only). */
export async function applyCaseStatus(
  tx: Queryable,
  change: {
    caseId: string; status: CaseStatus; acknowledgedAt: Date | null; feedbackDueAt: Date | null; closedAt: Date | null; outcome: string | null;
    actorId: string; reasonId: string | null; reason: Buffer | null;
  },
): Promise<Date> {
  await tx.query(
    'UPDATE cases SET status = $2, acknowledged_at = $3, feedback_due_at = $4, closed_at = $5, outcome = $6 WHERE id = $1',
    [change.caseId, change.status, change.acknowledgedAt, change.feedbackDueAt, change.closedAt, change.outcome],
  );
  const { rows } = await tx.query<{ at: Date }>(
    `INSERT INTO case_status_history (case_id, status, actor_id, outcome, reason_id, reason) VALUES ($1, $2, $3, $4, $5, $6) RETURNING at`,
    [change.caseId, change.status, change.actorId, change.outcome, change.reasonId, change.reason],
  );
  return rows[0]!.at;
}

/** The feedback deadline of an acknowledged, open case, locked for an extension in the caller's transaction. */
export async function lockFeedbackDeadline(
  tx: Queryable,
  caseId: string,
): Promise<{ status: CaseStatus; acknowledgedAt: Date | null; feedbackDueAt: Date | null } | null> {
  const { rows } = await tx.query<{ status: CaseStatus; acknowledged_at: Date | null; feedback_due_at: Date | null }>(
    'SELECT status, acknowledged_at, feedback_due_at FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
  const c = rows[0];
  return c ? { status: c.status, acknowledgedAt: c.acknowledged_at, feedbackDueAt: c.feedback_due_at } : null;
}

/** An extension of the feedback deadline (the reason is sealed; the audit log records the days). */
export async function extendFeedbackDeadline(tx: Queryable, e: { caseId: string; dueAt: Date; days: number; reason: Buffer }): Promise<void> {
  await tx.query('UPDATE cases SET feedback_due_at = $2, feedback_days = $3, feedback_extended_reason = $4 WHERE id = $1', [e.caseId, e.dueAt, e.days, e.reason]);
}

/** The first disclosure of the reporter's identity to anyone; the reporter sees this time. */
export async function markIdentityDisclosed(tx: Queryable, caseId: string): Promise<Date> {
  const { rows } = await tx.query<{ identity_disclosed_at: Date }>(
    'UPDATE cases SET identity_disclosed_at = coalesce(identity_disclosed_at, now()) WHERE id = $1 RETURNING identity_disclosed_at',
    [caseId],
  );
  return rows[0]!.identity_disclosed_at;
}

/** Deletes a case with everything that hangs off it (wraps, messages, notes, files via cascade). */
export async function deleteCase(tx: Queryable, caseId: string): Promise<void> {
  await tx.query('DELETE FROM reporter_sessions WHERE case_id = $1', [caseId]);
  await tx.query('DELETE FROM cases WHERE id = $1', [caseId]);
}

export async function setLegalHold(db: Queryable, caseId: string, hold: boolean): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE cases SET legal_hold = $2 WHERE id = $1', [caseId, hold]);
  return rowCount === 1;
}

/** The case a reference such as "SA-7K3Q-9XMF" names (the form people see and quote), or null. */
export async function caseIdByReference(db: Queryable, reference: string): Promise<string | null> {
  // References are issued in upper case; upper() also finds older or imported ones typed either way.
  const { rows } = await db.query<{ id: string }>('SELECT id FROM cases WHERE reference = $1 OR upper(reference) = $1 LIMIT 1', [reference.toUpperCase()]);
  return rows[0]?.id ?? null;
}
