import { spawn } from 'node:child_process';
import { existsSync, readSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { AUDIT_SEALER_LOCK, chainHead, MIGRATIONS_DIR, sealPendingIfNoSealer, type Db } from '@sauti/db';
import { BackupRefusal, type BackupManifest } from './format';

// --- PostgreSQL tools and facts

/** A URL without its password (it goes to PGPASSWORD, so it never shows in a process list). */
export function connection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** pg_dump / pg_restore of the server's major version (Debian: /usr/lib/postgresql/<major>/bin), else the one on PATH. */
export function pgTool(name: 'pg_dump' | 'pg_restore', major: number): string {
  const debian = `/usr/lib/postgresql/${major}/bin/${name}`;
  return existsSync(debian) ? debian : name;
}

export function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', (error) => reject(new BackupRefusal(`cannot run ${tool}: ${error.message} (install postgresql-client of your server's version)`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new BackupRefusal(`${path.basename(tool)} failed (exit ${code}): ${stderr.trim()}`))));
  });
}

export async function serverMajor(pool: Db): Promise<number> {
  const { rows } = await pool.query<{ v: string }>('SHOW server_version_num');
  return Math.floor(Number(rows[0]!.v) / 10000);
}

/**
 * The sealed head of the audit chain (`seq` is its chain position). Entries not sealed yet are in the
 * dump too and are sealed after a restore; when no worker is sealing, this seals what is final first.
 */
export async function auditHead(pool: Db, waitMs = 30_000): Promise<{ head: BackupManifest['auditHead']; lagging: string | null }> {
  // Every entry that exists now should be in the recorded head: seal them here when no worker is
  // sealing, else give the running sealer (one batch a second) a moment to reach them.
  const { rows } = await pool.query<{ last: string | null }>('SELECT max(seq) AS last FROM audit_events');
  const last = rows[0]?.last ?? '0';
  const deadline = Date.now() + waitMs;
  let unsealed = 0;
  for (;;) {
    await sealPendingIfNoSealer(pool);
    const { rows: open } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE chain_pos IS NULL AND seq <= $1', [last]);
    unsealed = Number(open[0]?.n ?? 0);
    if (unsealed === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const head = await chainHead(pool);
  return { head: head.length ? { seq: head.length, hash: head.head.toString('hex') } : null, lagging: unsealed ? await sealingHeldBy(pool, unsealed) : null };
}

/** Why entries are still unsealed, for the operator: who holds the sealer's lock and the oldest open transaction here. */
async function sealingHeldBy(pool: Db, unsealed: number): Promise<string> {
  const { rows: sealer } = await pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    [AUDIT_SEALER_LOCK],
  );
  const { rows: oldest } = await pool.query<{ pid: number; app: string; state: string; age: string; wait: string | null; query: string }>(
    `SELECT pid, application_name AS app, state, round(extract(epoch FROM now() - xact_start))::text AS age, wait_event AS wait, left(query, 120) AS query
       FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
      ORDER BY age(backend_xid) DESC LIMIT 1`,
  );
  const o = oldest[0];
  return `${unsealed} audit entries were not sealed yet (the manifest's head is the last sealed one; they are in the dump and are sealed after a restore). ` +
    `Sealer running: ${Number(sealer[0]?.n ?? 0) > 0 ? 'yes' : 'no'}. ` +
    (o ? `Oldest open transaction in this database: pid ${o.pid} (${o.app || 'no application name'}), ${o.state}, open ${o.age} s${o.wait ? `, waiting on ${o.wait}` : ''}: ${o.query}` : 'No transaction with an id is open in this database.');
}

export async function localMigrations(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
}

/** Streams a file region through `each` in pieces of at most `size` bytes. */
export function forEachPiece(fd: number, start: number, length: number, size: number, each: (piece: Buffer) => void): void {
  const buffer = Buffer.alloc(size);
  for (let done = 0; done < length; ) {
    const n = readSync(fd, buffer, 0, Math.min(size, length - done), start + done);
    if (n === 0) throw new BackupRefusal('the backup file ended early');
    each(buffer.subarray(0, n));
    done += n;
  }
}
