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

export const GENESIS: Buffer = Buffer.alloc(32);

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

export function entryHash(prev: Buffer, at: string, e: Required<AuditEntry>): Buffer {
  const body = JSON.stringify([at, e.actorType, e.actorId, e.action, e.caseId, canonical(e.details)]);
  return createHash('sha256').update(prev).update(body).digest();
}

/**
 * Records an entry inside the caller's transaction, with that transaction's id and no lock: the
 * sealer (audit-seal.ts) links it into the hash chain once the transaction is over.
 */
export async function appendAudit(tx: Queryable, entry: AuditEntry): Promise<void> {
  const e: Required<AuditEntry> = { actorId: null, caseId: null, details: {}, ...entry } as Required<AuditEntry>;
  await tx.query(
    'INSERT INTO audit_events (at, actor_type, actor_id, action, case_id, details) VALUES ($1, $2, $3, $4, $5, $6)',
    [new Date().toISOString(), e.actorType, e.actorId, e.action, e.caseId, JSON.stringify(e.details)],
  );
}

export type AuditBacklog = { unsealed: number; oldestUnsealedSeconds: number | null };

/** Entries not linked into the chain yet, and the age of the oldest (the sealing lag). */
export async function auditBacklog(db: Queryable): Promise<AuditBacklog> {
  const { rows } = await db.query<{ n: number; age: number | null }>(
    `SELECT count(*)::int AS n, extract(epoch FROM now() - min(at))::float8 AS age FROM audit_events WHERE chain_pos IS NULL`,
  );
  return { unsealed: rows[0]?.n ?? 0, oldestUnsealedSeconds: rows[0]?.age ?? null };
}

export type AuditVerification =
  | ({ ok: true; entries: number; head: Buffer } & AuditBacklog)
  | ({ ok: false; entries: number; firstBadSeq: number; problem: string } & AuditBacklog);

type SealedRow = {
  seq: string; chain_pos: string; at: Date; actor_type: AuditEntry['actorType']; actor_id: string | null; action: string;
  case_id: string | null; details: Record<string, unknown>; prev_hash: Buffer; hash: Buffer;
};

/**
 * Walks the sealed chain in chain order; names the first entry that was changed, or after which one
 * was removed. Entries not sealed yet are counted, not verified: nothing vouches for them yet.
 * `onEntry` sees each verified position's hash (the witness check compares checkpoints with it).
 */
export async function verifyAuditChain(db: Queryable, onEntry?: (position: number, hash: Buffer) => void): Promise<AuditVerification> {
  const backlog = await auditBacklog(db);
  const { rows } = await db.query<SealedRow>('SELECT * FROM audit_events WHERE chain_pos IS NOT NULL ORDER BY chain_pos');
  let prev: Buffer = GENESIS;
  let prevSeq: number | null = null;
  let expectedPos = 1;
  for (const row of rows) {
    const seq = Number(row.seq);
    const pos = Number(row.chain_pos);
    if (!row.prev_hash.equals(prev)) {
      const missing = pos - expectedPos;
      const gap = missing <= 0 ? '' : prevSeq !== null && seq - prevSeq - 1 === missing ? ` (entries ${prevSeq + 1}–${seq - 1} are missing)` : ` (${missing} entries are missing)`;
      return { ok: false, entries: rows.length, firstBadSeq: seq, problem: `entry ${seq} does not follow the entry before it${gap}: an entry was removed or changed`, ...backlog };
    }
    const recomputed = entryHash(prev, row.at.toISOString(), {
      actorType: row.actor_type, actorId: row.actor_id, action: row.action, caseId: row.case_id, details: row.details,
    });
    if (!recomputed.equals(row.hash)) {
      return { ok: false, entries: rows.length, firstBadSeq: seq, problem: `entry ${seq} was changed after it was written`, ...backlog };
    }
    onEntry?.(pos, row.hash);
    prev = row.hash;
    prevSeq = seq;
    expectedPos = pos + 1;
  }
  return { ok: true, entries: rows.length, head: prev, ...backlog };
}
