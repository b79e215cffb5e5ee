import { createPrivateKey, createPublicKey, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { entryHash, GENESIS, type AuditEntry } from './audit';
import { enqueueOutbox } from './outbox';
import type { Pool } from 'pg';
import type { Queryable } from './pool';

/** Session advisory lock held by the one sealer; released by Postgres when its connection ends. */
export const AUDIT_SEALER_LOCK = 727_003;

export type ChainHead = { length: number; head: Buffer };

export async function chainHead(db: Queryable): Promise<ChainHead> {
  const { rows } = await db.query<{ chain_pos: string; hash: Buffer }>(
    'SELECT chain_pos, hash FROM audit_events WHERE chain_pos IS NOT NULL ORDER BY chain_pos DESC LIMIT 1',
  );
  return rows[0] ? { length: Number(rows[0].chain_pos), head: rows[0].hash } : { length: 0, head: GENESIS };
}

/**
 * Links the next batch of final entries into the chain, in one transaction on `client` (the
 * sealer's own connection). Final means written by a transaction below the sealing horizon:
 * every such transaction has ended, so no entry can ever appear before the ones sealed here, and
 * the (xid, seq) order of what is sealed never changes afterwards. Returns how many were sealed.
 */
/**
 * The transaction id below which every transaction of this database has ended, so that entries
 * with a lower xid are final. `pg_snapshot_xmin` alone would do, but it is cluster-wide: one long
 * transaction in another database of the same server (another administration, a test, a migration)
 * would hold every chain back. So the horizon is this database's oldest running (or prepared)
 * transaction, capped by the snapshot's xmax.
 *
 * Order matters and is what makes this safe: the statement's snapshot (xmax = `next`) is taken
 * when the statement starts and pg_stat_activity is read while it runs, so any xid below `next`
 * that is absent from the activity list had ended before that read, and the next statement's
 * snapshot (the sealing query, READ COMMITTED) sees its entries. When some session of this
 * database belongs to a role whose transaction ids we may not see, it falls back to the
 * cluster-wide xmin. Call it first in a transaction, before anything else reads pg_stat_activity
 * (Postgres keeps the first read for the rest of the transaction).
 */
export async function sealingHorizon(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ next: string; xmin: string; running: string[]; hidden: boolean }>(
    `SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next,
            pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
            ARRAY(SELECT backend_xid::text FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL
                  UNION ALL
                  SELECT transaction::text FROM pg_prepared_xacts WHERE database = current_database()) AS running,
            (EXISTS (SELECT 1 FROM pg_stat_activity
                      WHERE datname = current_database() AND usesysid IS NOT NULL AND NOT pg_has_role(usesysid, 'USAGE'))
              AND NOT pg_has_role('pg_read_all_stats', 'USAGE')) AS hidden`,
  );
  const r = rows[0]!;
  if (r.hidden) return BigInt(r.xmin);
  const next = BigInt(r.next);
  let horizon = next;
  for (const x of r.running) {
    const full = fullXid(next, BigInt(x));
    if (full < horizon) horizon = full;
  }
  return horizon;
}

/** pg_stat_activity shows 32-bit xids: the 64-bit one is the xid8 within 2^31 of `near` with those low bits. */
export function fullXid(near: bigint, xid32: bigint): bigint {
  return near + BigInt.asIntN(32, xid32 - (near & 0xffff_ffffn));
}

export async function sealAuditBatch(client: Queryable, limit: number): Promise<{ sealed: number } & ChainHead> {
  await client.query('BEGIN');
  try {
    const horizon = await sealingHorizon(client);
    let { length, head } = await chainHead(client);
    const { rows } = await client.query<{
      seq: string; at: Date; actor_type: AuditEntry['actorType']; actor_id: string | null; action: string; case_id: string | null; details: Record<string, unknown>;
    }>(
      `SELECT seq, at, actor_type, actor_id, action, case_id, details FROM audit_events
        WHERE chain_pos IS NULL AND xid < $2::text::xid8
        ORDER BY xid, seq LIMIT $1`,
      [limit, horizon.toString()],
    );
    if (rows.length === 0) {
      await client.query('COMMIT');
      return { sealed: 0, length, head };
    }
    const seqs: string[] = [], positions: number[] = [], prevs: Buffer[] = [], hashes: Buffer[] = [];
    for (const r of rows) {
      const hash = entryHash(head, r.at.toISOString(), { actorType: r.actor_type, actorId: r.actor_id, action: r.action, caseId: r.case_id, details: r.details });
      seqs.push(r.seq);
      positions.push(++length);
      prevs.push(head);
      hashes.push(hash);
      head = hash;
    }
    const updated = await client.query(
      `UPDATE audit_events a SET chain_pos = v.pos, prev_hash = v.prev, hash = v.hash
         FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::bytea[]) AS v(seq, pos, prev, hash)
        WHERE a.seq = v.seq AND a.chain_pos IS NULL`,
      [seqs, positions, prevs, hashes],
    );
    // A second sealer (a leader that lost its lock without noticing) would collide here instead of forking the chain.
    if (updated.rowCount !== rows.length) throw new Error(`sealing raced: ${updated.rowCount} of ${rows.length} entries updated`);
    await client.query('COMMIT');
    return { sealed: rows.length, length, head };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

// ---- Signed checkpoints --------------------------------------------------------------------------

/** A checkpoint as witnesses keep it: the chain's length and head hash at a time, signed. */
export type AuditCheckpoint = { version: 1; length: number; head: string; at: string; publicKey: string; signature: string };

export type CheckpointKey = { privateKey: KeyObject; publicKey: Buffer };

/** The exact bytes signed: a fixed label, then length, head (hex) and time, one per line. */
export function checkpointMessage(c: { length: number; head: string; at: string }): Buffer {
  return Buffer.from(`sauti-audit-checkpoint/v1\n${c.length}\n${c.head}\n${c.at}\n`, 'utf8');
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function checkpointKeyFromSeed(seed: Buffer): CheckpointKey {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: rawPublicKey(privateKey) };
}

function rawPublicKey(privateKey: KeyObject): Buffer {
  return (createPublicKey(privateKey).export({ format: 'der', type: 'spki' }) as Buffer).subarray(-32);
}

/**
 * The deployment's checkpoint key: from `keyFile` (a PKCS#8 PEM Ed25519 private key, e.g. made by
 * `openssl genpkey -algorithm ed25519`) when given, else a seed generated once into the deployment row.
 */
export async function loadCheckpointKey(db: Queryable, keyFile?: string): Promise<CheckpointKey> {
  if (keyFile) {
    const privateKey = createPrivateKey(await readFile(keyFile));
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`AUDIT_SIGNING_KEY_FILE ${keyFile} is not an Ed25519 private key`);
    return { privateKey, publicKey: rawPublicKey(privateKey) };
  }
  const { rows } = await db.query<{ seed: Buffer }>(
    `UPDATE deployment SET audit_signing_seed = COALESCE(audit_signing_seed, $1) WHERE singleton RETURNING audit_signing_seed AS seed`,
    [randomBytes(32)],
  );
  if (!rows[0]) throw new Error('the deployment row is missing: run the api once (or ensureDeployment) first');
  return checkpointKeyFromSeed(rows[0].seed);
}

export function signCheckpoint(key: CheckpointKey, head: ChainHead, at: Date): AuditCheckpoint {
  const body = { length: head.length, head: head.head.toString('hex'), at: at.toISOString() };
  return { version: 1, ...body, publicKey: key.publicKey.toString('hex'), signature: sign(null, checkpointMessage(body), key.privateKey).toString('hex') };
}

const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function checkpointSignatureValid(c: AuditCheckpoint): boolean {
  try {
    const publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(c.publicKey, 'hex')]), format: 'der', type: 'spki' });
    return verify(null, checkpointMessage(c), publicKey, Buffer.from(c.signature, 'hex'));
  } catch {
    return false;
  }
}

export async function lastCheckpoint(db: Queryable): Promise<{ length: number; at: Date } | null> {
  const { rows } = await db.query<{ length: string; at: Date }>('SELECT length, at FROM audit_checkpoints ORDER BY at DESC LIMIT 1');
  return rows[0] ? { length: Number(rows[0].length), at: rows[0].at } : null;
}

/** Records a checkpoint and, when auditors are configured, an outbox event to e-mail it (call inside a transaction). */
export async function recordCheckpoint(tx: Queryable, c: AuditCheckpoint, mail: boolean): Promise<string> {
  const id = randomUUID();
  await tx.query(
    'INSERT INTO audit_checkpoints (id, length, head, at, public_key, signature) VALUES ($1, $2, $3, $4, $5, $6)',
    [id, c.length, Buffer.from(c.head, 'hex'), c.at, Buffer.from(c.publicKey, 'hex'), Buffer.from(c.signature, 'hex')],
  );
  if (mail) await enqueueOutbox(tx, { id: randomUUID(), topic: 'audit.checkpoint', aggregateId: id });
  return id;
}

export async function findCheckpoint(db: Queryable, id: string): Promise<(AuditCheckpoint & { mailedAt: Date | null }) | null> {
  const { rows } = await db.query<{ length: string; head: Buffer; at: Date; public_key: Buffer; signature: Buffer; mailed_at: Date | null }>(
    'SELECT length, head, at, public_key, signature, mailed_at FROM audit_checkpoints WHERE id = $1',
    [id],
  );
  const r = rows[0];
  return r
    ? { version: 1, length: Number(r.length), head: r.head.toString('hex'), at: r.at.toISOString(), publicKey: r.public_key.toString('hex'), signature: r.signature.toString('hex'), mailedAt: r.mailed_at }
    : null;
}

export async function markCheckpointMailed(db: Queryable, id: string): Promise<void> {
  await db.query('UPDATE audit_checkpoints SET mailed_at = now() WHERE id = $1', [id]);
}

/**
 * Seals every final entry now, unless a sealer (a running worker) holds the lock — then it leaves
 * sealing to it and returns null. For operator commands run while no worker is up.
 */
export async function sealPendingIfNoSealer(pool: Pool, batch = 5_000): Promise<number | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [AUDIT_SEALER_LOCK]);
    if (!rows[0]?.locked) return null;
    try {
      let total = 0;
      for (;;) {
        const { sealed } = await sealAuditBatch(client, batch);
        total += sealed;
        if (sealed < batch) return total;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [AUDIT_SEALER_LOCK]);
    }
  } finally {
    client.release();
  }
}
