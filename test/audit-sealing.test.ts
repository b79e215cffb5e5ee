import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createLogger } from '../packages/log/src';
import { appendAudit, createPool, entryHash, GENESIS, migrate, verifyAuditChain, withTransaction, type Db } from '../packages/db/src';
import { AuditSealer } from '../apps/worker/src/audit-sealer';
import { createTestDatabase } from './helpers/database';
import { startStack, type TestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);
const quiet = createLogger({ name: 'sealer-test', level: 'silent' });

async function sauti(databaseUrl: string, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'apps/api/src/bin/sauti.ts'), ...args], {
      cwd: ROOT, env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const append = (pool: Db, n: number, action = 'test.entry') =>
  Promise.all(Array.from({ length: n }, (_, i) => withTransaction(pool, (tx) => appendAudit(tx, { actorType: 'system', action, details: { i } }))));

function sealer(url: string, pool: Db, extra: Partial<ConstructorParameters<typeof AuditSealer>[0]> = {}): AuditSealer {
  return new AuditSealer({ pool, databaseUrl: url, log: quiet, intervalMs: 50, batch: 7, checkpointIntervalMs: 0, mailAuditors: false, ...extra });
}

/**
 * Ticks until nothing is left to seal (an autovacuum of this database can hold sealing back for a
 * moment: wait for it, do not assume it).
 */
async function sealAll(s: AuditSealer, pool: Db): Promise<number> {
  let total = 0;
  await waitFor('every entry to be sealed', async () => {
    total += await s.tick();
    return (await verifyAuditChain(pool)).unsealed === 0;
  });
  return total;
}

/** Re-links every sealed entry from `fromPos` on, as someone with write access to the database could. */
async function relinkFrom(pool: Db, fromPos: number): Promise<void> {
  const { rows } = await pool.query('SELECT * FROM audit_events WHERE chain_pos IS NOT NULL ORDER BY chain_pos');
  let prev: Buffer = GENESIS;
  for (const r of rows) {
    if (Number(r.chain_pos) >= fromPos) {
      const hash = entryHash(prev, r.at.toISOString(), { actorType: r.actor_type, actorId: r.actor_id, action: r.action, caseId: r.case_id, details: r.details });
      await pool.query('UPDATE audit_events SET prev_hash = $2, hash = $3 WHERE seq = $1', [r.seq, prev, hash]);
      prev = hash;
    } else prev = r.hash;
  }
}

describe('audit appends without a lock, sealed by one sealer', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: Db;
  beforeEach(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url, { max: 20 });
  });
  afterEach(async () => {
    await pool.end();
    await db.drop();
  });

  it('when many transactions append at once while one stays open, then only entries of finished older transactions are sealed, in (xid, seq) order, and the rest follow once it ends', async () => {
    const open = new Client({ connectionString: db.url });
    await open.connect();
    await open.query('BEGIN');
    await appendAudit(open, { actorType: 'system', action: 'test.open' });
    await append(pool, 40);
    // A rolled-back entry never reaches the chain.
    await withTransaction(pool, async (tx) => {
      await appendAudit(tx, { actorType: 'system', action: 'test.rolled_back' });
      throw new Error('rollback');
    }).catch(() => undefined);

    const s = sealer(db.url, pool);
    expect(await s.tick()).toBe(0); // every committed entry is newer than the open transaction
    expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, entries: 0, unsealed: 40 }); // the open transaction's entry is not visible yet

    await open.query('COMMIT');
    await open.end();
    expect(await sealAll(s, pool)).toBe(41);
    const chain = await verifyAuditChain(pool);
    expect(chain).toMatchObject({ ok: true, entries: 41, unsealed: 0 });
    const { rows } = await pool.query<{ seq: string }>('SELECT seq FROM audit_events ORDER BY chain_pos');
    const { rows: expected } = await pool.query<{ seq: string }>("SELECT seq FROM audit_events WHERE action <> 'test.rolled_back' ORDER BY xid, seq");
    expect(rows.map((r) => r.seq)).toEqual(expected.map((r) => r.seq));
    expect(rows[0]!.seq).toBe((await pool.query("SELECT seq FROM audit_events WHERE action = 'test.open'")).rows[0].seq);
    await s.stop();
  });

  it('when a transaction stays open in another database of the same server, then it does not hold this chain back', async () => {
    const other = await createTestDatabase();
    const open = new Client({ connectionString: other.url });
    await open.connect();
    try {
      await open.query('BEGIN');
      await open.query('SELECT pg_current_xact_id()'); // now it has a transaction id older than every entry below
      await append(pool, 12);
      const s = sealer(db.url, pool);
      // One tick seals them all: nothing of this database is running. With the cluster-wide xmin it sealed 0.
      expect(await s.tick()).toBe(12);
      expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, entries: 12, unsealed: 0 });
      await s.stop();
    } finally {
      await open.query('ROLLBACK');
      await open.end();
      await other.drop();
    }
  });

  it('when two sealers run, then one leads; when the leader\'s connection dies, then the other takes over and the chain stays whole', async () => {
    const a = sealer(db.url, pool);
    const b = sealer(db.url, pool);
    await append(pool, 10);
    await a.tick();
    const sealedB = await b.tick();
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    expect(sealedB).toBe(0);
    expect(await sealAll(a, pool)).toBeLessThanOrEqual(10);

    // The leader "dies": Postgres ends its session, and its lock with it.
    await pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sauti-audit-sealer' AND pid IN
                        (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = 727003)`);
    await append(pool, 9);
    await waitFor('the second sealer to take over', async () => (await b.tick()) > 0 || b.isLeader);
    await sealAll(b, pool);
    await a.tick(); // notices its connection is gone, and does not lead again while b does
    await a.tick();
    expect([a.isLeader, b.isLeader]).toEqual([false, true]);
    expect(await verifyAuditChain(pool)).toMatchObject({ ok: true, entries: 19, unsealed: 0 });
    await Promise.all([a.stop(), b.stop()]);
  });

  it('when a chain written before this change is migrated, then its old entries verify and new ones continue it', async () => {
    const legacy = await createTestDatabase();
    const lp = createPool(legacy.url);
    try {
      await lp.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      const dir = await mkdtemp(path.join(os.tmpdir(), 'sauti-migrations-'));
      const all = (await readdir(path.join(ROOT, 'packages/db/migrations'))).filter((f) => f < '007');
      for (const f of all) await run('cp', [path.join(ROOT, 'packages/db/migrations', f), dir]);
      await migrate(lp, dir);
      // The chain as the locked appender wrote it: seq order, each hash over the previous.
      let prev: Buffer = GENESIS;
      for (let i = 0; i < 5; i++) {
        const at = new Date(Date.now() + i).toISOString();
        const hash = entryHash(prev, at, { actorType: 'system', actorId: null, action: 'legacy.entry', caseId: null, details: { i } });
        await lp.query('INSERT INTO audit_events (at, actor_type, action, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6)', [at, 'system', 'legacy.entry', { i }, prev, hash]);
        prev = hash;
      }
      await rm(dir, { recursive: true });
      await migrate(lp);
      expect(await verifyAuditChain(lp)).toMatchObject({ ok: true, entries: 5, unsealed: 0 });
      await append(lp, 3);
      const s = sealer(legacy.url, lp);
      expect(await sealAll(s, lp)).toBe(3);
      await s.stop();
      expect(await verifyAuditChain(lp)).toMatchObject({ ok: true, entries: 8 });
    } finally {
      await lp.end();
      await legacy.drop();
    }
  });
});

describe('witnessed checkpoints', () => {
  let stack: TestStack;
  let witness: string;

  async function stackWithWitness(): Promise<void> {
    witness = await mkdtemp(path.join(os.tmpdir(), 'sauti-witness-'));
    stack = await startStack({
      env: { AUDIT_SEAL_INTERVAL_MS: '50', AUDIT_CHECKPOINT_INTERVAL_MS: '100', AUDIT_WITNESS_DIR: witness, AUDIT_AUDITOR_EMAILS: 'auditor@test.sauti.invalid, second.auditor@test.sauti.invalid' },
    });
  }
  afterEach(async () => {
    await stack?.stop();
    await rm(witness, { recursive: true, force: true });
  });

  /** Entries, sealed and witnessed by the running worker; then the worker stops. */
  async function witnessedChain(n: number, before: (length: number) => Promise<unknown> = async () => undefined): Promise<number> {
    await append(stack.pool, n);
    const { rows } = await waitFor('a checkpoint of every entry', async () => {
      const r = await stack.pool.query<{ length: string }>('SELECT max(length) AS length FROM audit_checkpoints');
      const total = await stack.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_events');
      return Number(r.rows[0]!.length) === Number(total.rows[0]!.n) && r;
    });
    await before(Number(rows[0]!.length));
    await stack.worker!.stop();
    stack.worker = null;
    return Number(rows[0]!.length);
  }

  it('when the worker seals, then it signs checkpoints into the witness directory and e-mails them, content-free, to the auditors; the untouched chain verifies', async () => {
    await stackWithWitness();
    let mail: (typeof stack.mail)[number] | undefined;
    await witnessedChain(12, async (l) => {
      mail = await waitFor('the checkpoint e-mail', async () => stack.mail.find((m) => /Sauti audit checkpoint/.test(m.raw) && m.raw.includes(`"length":${l}`)));
    });
    expect((await readdir(witness)).length).toBeGreaterThanOrEqual(1);
    if (!mail) throw new Error('no checkpoint e-mail');
    expect(mail.to.sort()).toEqual(['auditor@test.sauti.invalid', 'second.auditor@test.sauti.invalid']);
    const body = mail.raw.slice(mail.raw.indexOf('\r\n\r\n')).replace(/=\r\n/g, ''); // undo quoted-printable soft breaks
    expect(body).toMatch(/"head":"[0-9a-f]{64}"/);
    expect(body).not.toMatch(/test\.entry|details|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/i);
    // /metrics shows the sealing lag: nothing waits now; an entry nobody seals shows up at once.
    const metrics = async () => (await fetch(`${stack.api.url}/metrics`)).text();
    expect(await metrics()).toMatch(/^sauti_audit_unsealed_entries 0$/m);
    await append(stack.pool, 1);
    expect(await metrics()).toMatch(/^sauti_audit_unsealed_entries 1$/m);
    expect(await metrics()).toMatch(/^sauti_audit_sealing_lag_seconds [0-9.e-]+$/m);
    const result = await sauti(stack.config.DATABASE_URL, 'verify-audit', '--witness', witness);
    // Sealed by the command itself (no worker runs), unless another database's transaction holds xmin back.
    expect(result.out).toMatch(/No worker was sealing: sealed 1 final entry first\.|1 entry is not sealed yet/);
    expect(result.out).toContain('Every witnessed checkpoint lies on this chain: no truncation, rewrite or fork.');
    expect(result.code).toBe(0);
  });

  it('when the newest entries are deleted, then the witness check names a truncation', async () => {
    await stackWithWitness();
    const length = await witnessedChain(10);
    await stack.pool.query('DELETE FROM audit_events WHERE chain_pos > $1', [length - 3]);
    expect(await verifyAuditChain(stack.pool)).toMatchObject({ ok: true }); // the chain alone cannot tell
    const result = await sauti(stack.config.DATABASE_URL, 'verify-audit', '--witness', witness);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(new RegExp(`TRUNCATION: checkpoint-\\S+ \\(length ${length}, [^)]+\\) vouches for ${length} entries but the chain has ${length - 3} sealed: the newest 3 were removed`));
  });

  it('when an entry in the middle is rewritten and every later hash recomputed, then the witness check names a rewrite', async () => {
    await stackWithWitness();
    const length = await witnessedChain(10);
    const middle = Math.ceil(length / 2);
    await stack.pool.query(`UPDATE audit_events SET details = '{"i":"nothing happened"}' WHERE chain_pos = $1`, [middle]);
    await relinkFrom(stack.pool, middle);
    expect(await verifyAuditChain(stack.pool)).toMatchObject({ ok: true });
    const result = await sauti(stack.config.DATABASE_URL, 'verify-audit', '--witness', witness);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(new RegExp(`REWRITE: checkpoint-\\S+ \\(length ${length}, [^)]+\\) does not match the chain's hash at position ${length}`));
  });

  it('when history is rewritten and the sealer then signs the rewritten chain, then the witness check names a fork', async () => {
    await stackWithWitness();
    const length = await witnessedChain(10);
    await stack.pool.query(`UPDATE audit_events SET details = '{"i":"nothing happened"}' WHERE chain_pos = 2`);
    await relinkFrom(stack.pool, 2);
    await stack.startWorker();
    await witnessedChain(4);
    const result = await sauti(stack.config.DATABASE_URL, 'verify-audit', '--witness', witness);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(new RegExp(`FORK: checkpoint-\\S+ \\(length ${length}, [^)]+\\) no longer matches the chain, yet checkpoint-\\S+ \\(length \\d+, [^)]+\\) signs the chain as it is now`));
  });
});
