import { createHash } from 'node:crypto';
import type { Queryable } from './pool';

export type AuditEntry = {
  actorType: 'system' | 'staff' | 'reporter';
  actorId?: string | null;
  action: string;
  caseId?: string | null;
  /** Ids, counts and reasons codes only: never content, never an address. */
  details?: Record<string, unknown>;
};

const GENESIS: Buffer = Buffer.alloc(32);
const AUDIT_LOCK = 727_002;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function entryHash(prev: Buffer, at: string, e: Required<AuditEntry>): Buffer {
  const body = JSON.stringify([at, e.actorType, e.actorId, e.action, e.caseId, canonical(e.details)]);
  return createHash('sha256').update(prev).update(body).digest();
}

/**
 * Appends to the hash chain inside the caller's transaction. The advisory lock orders appends, so
 * the chain stays linear when many processes write at once.
 */
export async function appendAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  const e: Required<AuditEntry> = { actorId: null, caseId: null, details: {}, ...entry } as Required<AuditEntry>;
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const { rows } = await tx.query<{ hash: Buffer }>('SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const prev = rows[0]?.hash ?? GENESIS;
  const at = new Date().toISOString();
  await tx.query(
    `INSERT INTO audit_events (at, actor_type, actor_id, action, case_id, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [at, e.actorType, e.actorId, e.action, e.caseId, JSON.stringify(e.details), prev, entryHash(prev, at, e)],
  );
}

export type AuditVerification =
  | { ok: true; entries: number }
  | { ok: false; entries: number; firstBadSeq: number; problem: string };

/** Walks the chain in order; names the first entry that was changed, or after which one was removed. */
export async function verifyAuditChain(db: Queryable): Promise<AuditVerification> {
  const { rows } = await db.query<{
    seq: string; at: Date; actor_type: AuditEntry['actorType']; actor_id: string | null; action: string;
    case_id: string | null; details: Record<string, unknown>; prev_hash: Buffer; hash: Buffer;
  }>('SELECT * FROM audit_events ORDER BY seq');
  let prev: Buffer = GENESIS;
  let expectedSeq: number | null = null;
  for (const row of rows) {
    const seq = Number(row.seq);
    if (!row.prev_hash.equals(prev)) {
      const gap = expectedSeq !== null && seq !== expectedSeq ? ` (entries ${expectedSeq}–${seq - 1} are missing)` : '';
      return { ok: false, entries: rows.length, firstBadSeq: seq, problem: `entry ${seq} does not follow the entry before it${gap}: an entry was removed or changed` };
    }
    const recomputed = entryHash(prev, row.at.toISOString(), {
      actorType: row.actor_type, actorId: row.actor_id, action: row.action, caseId: row.case_id, details: row.details,
    });
    if (!recomputed.equals(row.hash)) {
      return { ok: false, entries: rows.length, firstBadSeq: seq, problem: `entry ${seq} was changed after it was written` };
    }
    prev = row.hash;
    expectedSeq = seq + 1;
  }
  return { ok: true, entries: rows.length };
}
