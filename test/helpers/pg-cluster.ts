import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { freePort } from './processes';

/** Runs a command as root (directly when the tests run as root, else through `sudo -n`); throws with its output when it fails. */
export function asRoot(cmd: string, args: string[]): SpawnSyncReturns<string> {
  const root = process.getuid?.() === 0;
  const r = spawnSync(root ? cmd : 'sudo', root ? args : ['-n', cmd, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout || r.error?.message}; these tests need root or password-less sudo`);
  return r;
}

/** The newest PostgreSQL server installed from Debian packages (/usr/lib/postgresql/<major>/bin/postgres). */
export function installedPostgresMajor(): string {
  const majors = readdirSync('/usr/lib/postgresql').filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`)).sort((a, b) => Number(a) - Number(b));
  if (!majors.length) throw new Error('no PostgreSQL server under /usr/lib/postgresql: apt-get install postgresql');
  return majors[majors.length - 1]!;
}

/**
 * A second PostgreSQL cluster made exactly as Debian makes one (`pg_createcluster`, so its
 * pg_hba.conf is Debian's default: peer on the socket, scram-sha-256 on 127.0.0.1), started on a
 * free port; drop() stops and removes it.
 */
export async function createDebianCluster(): Promise<{ major: string; name: string; port: number; hbaFile: string; drop: () => void }> {
  const major = installedPostgresMajor();
  const name = `sauti_t_${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  asRoot('pg_createcluster', [major, name, '--port', String(port), '--start']);
  return {
    major, name, port, hbaFile: `/etc/postgresql/${major}/${name}/pg_hba.conf`,
    drop: () => void asRoot('pg_dropcluster', [major, name, '--stop']),
  };
}
