import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '@sauti/config';
import {
  bytesEqual,
  encryptedFileSize,
  FILE_CHUNK,
  FILE_CIPHER_CHUNK,
  FileDecryptor,
  FileEncryptor,
  fileKeygen,
  fromB64,
  generateKeyPair,
  isCryptoError,
  keyPairFromPrivateKey,
  openSealed,
  ready,
  seal,
  toB64,
  type KeyPair,
} from '@sauti/crypto';
import { chainHead, createPool, MIGRATIONS_DIR, sealPendingIfNoSealer, verifyAuditChain, type Db } from '@sauti/db';

/*
 * One backup file (docs/operations.md, "Backups"):
 *
 *   "SAUTIBK1" (8 bytes) ‖ manifest length (uint32, big-endian) ‖ manifest (UTF-8 JSON) ‖ payload
 *
 * The payload is the database as `pg_dump --format=custom` wrote it (evidence files are stored in the
 * database, so they are in it), or, when the backup is sealed to an operator's key, that dump
 * encrypted as a PROTOCOL.md §7 stream (XChaCha20-Poly1305 secretstream, 64 KiB chunks) under a
 * random key with associated data `sip1/file/backup/<manifest.sealed.id>`; the key is sealed (§0
 * seal, X25519) to the operator's public key and kept in the manifest. The manifest is never
 * encrypted: it holds no secret, and restore reads it to refuse a wrong file before anything else.
 */

export const BACKUP_MAGIC = Buffer.from('SAUTIBK1', 'latin1');
export const BACKUP_FORMAT = 'sauti-backup/1';
const HEADER_BYTES = BACKUP_MAGIC.length + 4;
const MAX_MANIFEST_BYTES = 1024 * 1024;

export type BackupManifest = {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  /** The last migration applied; `migrations` lists them all. */
  schemaVersion: string;
  migrations: string[];
  /** The sealed chain head at backup time: `seq` is its chain position. */
  auditHead: { seq: number; hash: string } | null;
  auditEntries: number;
  postgresMajor: number;
  dump: { bytes: number; sha256: string };
  sealed: null | { to: string; id: string; sealedKey: string };
};

export const BACKUP_USAGE = `  backup <file> [--seal-to <public key>]
      Write the whole database (cases, evidence files, staff, audit log) and a manifest to <file>
      (mode 0600). With --seal-to, encrypt it to an operator key made by backup-keygen.
  restore <file> [--key <key file>]
      Restore a backup into the empty database of DATABASE_URL, then verify the audit chain.
  backup-keygen <key file>   Make an operator key pair for sealed backups; prints the public key.`;

export class BackupRefusal extends Error {}

type Out = (line: string) => void;

/** A command's exit code: 0 done, 1 refused or failed, 2 usage. */
export async function runBackupCommand(argv: string[], deps: { config: Config; out: Out }): Promise<number> {
  const [command, ...rest] = argv;
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) positional.push(arg);
    else options[m[1]!] = m[2] ?? rest[++i] ?? '';
  }
  const file = positional[0];
  if (!file) {
    deps.out(`${command}: name the file.\n\n${BACKUP_USAGE}`);
    return 2;
  }
  await ready();
  try {
    if (command === 'backup-keygen') {
      const publicKey = writeOperatorKey(file);
      deps.out(`Wrote the private key to ${file} (mode 0600): keep it offline, away from the backups.`);
      deps.out(`Public key, for npm run sauti -- backup <file> --seal-to <public key>:\n${publicKey}`);
      return 0;
    }
    if (command === 'backup') {
      const manifest = await createBackup(deps.config.DATABASE_URL, file, { sealTo: options['seal-to'] });
      deps.out(
        `Backup written to ${file}: schema ${manifest.schemaVersion}, ${manifest.auditEntries} audit entries, ` +
          `dump ${manifest.dump.bytes} bytes${manifest.sealed ? `, sealed to ${manifest.sealed.to}` : ' (not sealed)'}.`,
      );
      return 0;
    }
    if (command === 'restore') {
      const result = await restoreBackup(deps.config.DATABASE_URL, file, { keyFile: options.key });
      deps.out(`Restored ${file} (made ${result.manifest.createdAt}, schema ${result.manifest.schemaVersion}).`);
      deps.out(`Audit log intact: ${result.auditEntries} entries, head matches the backup's manifest.`);
      return 0;
    }
  } catch (error) {
    if (error instanceof BackupRefusal) {
      deps.out(`${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  deps.out(BACKUP_USAGE);
  return 2;
}

// --- operator keys

export function writeOperatorKey(file: string): string {
  if (existsSync(file)) throw new BackupRefusal(`${file} exists already; choose another name (an existing key is never overwritten).`);
  const keyPair = generateKeyPair();
  const publicKey = toB64(keyPair.publicKey);
  writeFileSync(file, `${JSON.stringify({ sautiBackupKey: 1, publicKey, privateKey: toB64(keyPair.privateKey) })}\n`, { mode: 0o600, flag: 'wx' });
  return publicKey;
}

export function readOperatorKey(file: string): KeyPair {
  let parsed: { sautiBackupKey?: number; privateKey?: string };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new BackupRefusal(`cannot read the key file ${file}: ${(error as Error).message}`);
  }
  if (parsed.sautiBackupKey !== 1 || typeof parsed.privateKey !== 'string') throw new BackupRefusal(`${file} is not a key file made by backup-keygen.`);
  return keyPairFromPrivateKey(fromB64(parsed.privateKey));
}

// --- PostgreSQL tools and facts

/** A URL without its password (it goes to PGPASSWORD, so it never shows in a process list). */
function connection(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { url: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** pg_dump / pg_restore of the server's major version (Debian: /usr/lib/postgresql/<major>/bin), else the one on PATH. */
function pgTool(name: 'pg_dump' | 'pg_restore', major: number): string {
  const debian = `/usr/lib/postgresql/${major}/bin/${name}`;
  return existsSync(debian) ? debian : name;
}

function runTool(tool: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', (error) => reject(new BackupRefusal(`cannot run ${tool}: ${error.message} (install postgresql-client of your server's version)`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new BackupRefusal(`${path.basename(tool)} failed (exit ${code}): ${stderr.trim()}`))));
  });
}

async function serverMajor(pool: Db): Promise<number> {
  const { rows } = await pool.query<{ v: string }>('SHOW server_version_num');
  return Math.floor(Number(rows[0]!.v) / 10000);
}

/**
 * The sealed head of the audit chain (`seq` is its chain position). Entries not sealed yet are in the
 * dump too and are sealed after a restore; when no worker is sealing, this seals what is final first.
 */
async function auditHead(pool: Db, waitMs = 30_000): Promise<BackupManifest['auditHead']> {
  // Every entry that exists now should be in the recorded head: seal them here when no worker is
  // sealing, else give the running sealer (one batch a second) a moment to reach them.
  const { rows } = await pool.query<{ last: string | null }>('SELECT max(seq) AS last FROM audit_events');
  const last = rows[0]?.last ?? '0';
  const deadline = Date.now() + waitMs;
  for (;;) {
    await sealPendingIfNoSealer(pool);
    const { rows: open } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE chain_pos IS NULL AND seq <= $1', [last]);
    if (Number(open[0]?.n ?? 0) === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const head = await chainHead(pool);
  return head.length ? { seq: head.length, hash: head.head.toString('hex') } : null;
}

async function localMigrations(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f)).sort();
}

/** Streams a file region through `each` in pieces of at most `size` bytes. */
function forEachPiece(fd: number, start: number, length: number, size: number, each: (piece: Buffer) => void): void {
  const buffer = Buffer.alloc(size);
  for (let done = 0; done < length; ) {
    const n = readSync(fd, buffer, 0, Math.min(size, length - done), start + done);
    if (n === 0) throw new BackupRefusal('the backup file ended early');
    each(buffer.subarray(0, n));
    done += n;
  }
}

// --- backup

export async function createBackup(databaseUrl: string, file: string, options: { sealTo?: string } = {}): Promise<BackupManifest> {
  if (existsSync(file)) throw new BackupRefusal(`${file} exists already; choose another name (a backup is never overwritten).`);
  let recipient: Uint8Array | null = null;
  if (options.sealTo !== undefined) {
    try {
      recipient = fromB64(options.sealTo);
    } catch {
      recipient = null;
    }
    if (!recipient || recipient.length !== 32) throw new BackupRefusal('--seal-to needs the public key that backup-keygen printed (32 bytes, base64).');
  }
  const pool = createPool(databaseUrl);
  const work = mkdtempSync(path.join(path.dirname(path.resolve(file)), '.sauti-backup-'));
  try {
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name').catch(() => {
      throw new BackupRefusal('this database has no Sauti schema (no schema_migrations table): nothing to back up.');
    });
    const migrations = rows.map((r) => r.name);
    const major = await serverMajor(pool);
    // The head is read before the dump: entries written during it are in the dump and after the head.
    const head = await auditHead(pool);
    const dumpFile = path.join(work, 'db.dump');
    const { url, env } = connection(databaseUrl);
    await runTool(pgTool('pg_dump', major), ['--format=custom', '--file', dumpFile, '--dbname', url], env);

    const fd = openSync(dumpFile, 'r');
    try {
      const bytes = fstatSync(fd).size;
      const sha = createHash('sha256');
      forEachPiece(fd, 0, bytes, FILE_CHUNK, (piece) => sha.update(piece));
      const id = randomUUID();
      const fileKey = recipient ? fileKeygen() : null;
      const manifest: BackupManifest = {
        format: BACKUP_FORMAT, createdAt: new Date().toISOString(), schemaVersion: migrations[migrations.length - 1] ?? '', migrations,
        auditHead: head, auditEntries: head?.seq ?? 0, postgresMajor: major, dump: { bytes, sha256: sha.digest('hex') },
        sealed: recipient && fileKey ? { to: toB64(recipient), id, sealedKey: toB64(seal(recipient, fileKey)) } : null,
      };
      const partial = `${file}.partial`;
      const out = openSync(partial, 'wx', 0o600);
      try {
        const json = Buffer.from(JSON.stringify(manifest), 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32BE(json.length);
        writeSync(out, Buffer.concat([BACKUP_MAGIC, length, json]));
        if (fileKey) {
          const enc = new FileEncryptor('backup', id, fileKey, bytes);
          writeSync(out, enc.header);
          forEachPiece(fd, 0, bytes, FILE_CHUNK, (piece) => writeSync(out, enc.push(piece)));
          if (bytes === 0) writeSync(out, enc.push(new Uint8Array(0)));
        } else {
          forEachPiece(fd, 0, bytes, FILE_CHUNK, (piece) => writeSync(out, piece));
        }
      } finally {
        closeSync(out);
      }
      renameSync(partial, file);
      return manifest;
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await pool.end();
  }
}

// --- restore

/** Reads and checks the header and manifest; refuses a file that is not a backup, is damaged or truncated. */
export function readBackupManifest(file: string): { manifest: BackupManifest; payloadStart: number; payloadBytes: number; fileBytes: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new BackupRefusal(`cannot open ${file}: ${(error as Error).message}`);
  }
  try {
    const fileBytes = fstatSync(fd).size;
    const header = Buffer.alloc(HEADER_BYTES);
    const got = readSync(fd, header, 0, HEADER_BYTES, 0);
    if (got < BACKUP_MAGIC.length || !header.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) {
      throw new BackupRefusal(`${file} is not a Sauti backup (it does not start with ${BACKUP_MAGIC.toString('latin1')}).`);
    }
    if (got < HEADER_BYTES) throw new BackupRefusal(`${file} is truncated: it ends inside its header.`);
    const manifestBytes = header.readUInt32BE(BACKUP_MAGIC.length);
    if (manifestBytes > MAX_MANIFEST_BYTES) throw new BackupRefusal(`${file} is damaged: its manifest length (${manifestBytes} bytes) is not believable.`);
    if (fileBytes < HEADER_BYTES + manifestBytes) throw new BackupRefusal(`${file} is truncated: it ends inside its manifest.`);
    const json = Buffer.alloc(manifestBytes);
    readSync(fd, json, 0, manifestBytes, HEADER_BYTES);
    let manifest: BackupManifest;
    try {
      manifest = JSON.parse(json.toString('utf8')) as BackupManifest;
    } catch {
      throw new BackupRefusal(`${file} is damaged: its manifest is not valid JSON.`);
    }
    if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.migrations) || !manifest.dump || typeof manifest.dump.bytes !== 'number') {
      throw new BackupRefusal(`${file} has a manifest of another format (${String(manifest.format)}); this Sauti reads ${BACKUP_FORMAT}.`);
    }
    const payloadStart = HEADER_BYTES + manifestBytes;
    const payloadBytes = manifest.sealed ? encryptedFileSize(manifest.dump.bytes) : manifest.dump.bytes;
    if (fileBytes < payloadStart + payloadBytes) {
      throw new BackupRefusal(`${file} is truncated: it holds ${fileBytes} bytes but its manifest promises ${payloadStart + payloadBytes}. Use another copy.`);
    }
    if (fileBytes > payloadStart + payloadBytes) throw new BackupRefusal(`${file} is damaged: it has ${fileBytes - payloadStart - payloadBytes} bytes more than its manifest promises.`);
    return { manifest, payloadStart, payloadBytes, fileBytes };
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks everything (format, schema, length, key, digest, an empty target) before writing anything
 * to the database, then runs pg_restore in one transaction and verifies the audit chain.
 */
export async function restoreBackup(
  databaseUrl: string,
  file: string,
  options: { keyFile?: string } = {},
): Promise<{ manifest: BackupManifest; auditEntries: number }> {
  const { manifest, payloadStart, payloadBytes } = readBackupManifest(file);
  const known = new Set(await localMigrations());
  const unknown = manifest.migrations.filter((m) => !known.has(m));
  if (unknown.length) {
    throw new BackupRefusal(
      `${file} comes from a newer Sauti (schema ${manifest.schemaVersion}; this one does not know ${unknown.join(', ')}). ` +
        'Restore it with that version of Sauti or newer.',
    );
  }
  let fileKey: Uint8Array | null = null;
  if (manifest.sealed) {
    if (!options.keyFile) throw new BackupRefusal(`${file} is sealed to the operator key ${manifest.sealed.to}: give its key file with --key <key file>.`);
    const keyPair = readOperatorKey(options.keyFile);
    if (!bytesEqual(keyPair.publicKey, fromB64(manifest.sealed.to))) {
      throw new BackupRefusal(`${file} is sealed to another key (${manifest.sealed.to}); ${options.keyFile} holds the key of ${toB64(keyPair.publicKey)}.`);
    }
    try {
      fileKey = openSealed(keyPair, fromB64(manifest.sealed.sealedKey), 'backup key');
    } catch (error) {
      if (isCryptoError(error)) throw new BackupRefusal(`${file}: ${(error as Error).message}.`);
      throw error;
    }
  }

  const pool = createPool(databaseUrl);
  const work = mkdtempSync(path.join(tmpdir(), 'sauti-restore-'));
  try {
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`,
    );
    if (Number(rows[0]!.n) > 0) {
      throw new BackupRefusal(`the database of DATABASE_URL is not empty (${rows[0]!.n} tables and sequences). Restore only into a new, empty database (createdb -O <role> <name>).`);
    }
    // The dump, decrypted when sealed, checked against the manifest's digest before pg_restore sees it.
    const dumpFile = path.join(work, 'db.dump');
    const out = openSync(dumpFile, 'wx', 0o600);
    const sha = createHash('sha256');
    const fd = openSync(file, 'r');
    try {
      const write = (piece: Uint8Array) => {
        sha.update(piece);
        writeSync(out, piece);
      };
      if (fileKey) {
        const dec = new FileDecryptor('backup', manifest.sealed!.id, fileKey, payloadBytes);
        try {
          forEachPiece(fd, payloadStart, payloadBytes, FILE_CIPHER_CHUNK, (piece) => dec.push(piece).forEach(write));
          dec.finish();
        } catch (error) {
          if (isCryptoError(error)) throw new BackupRefusal(`${file} is damaged: ${(error as Error).message}.`);
          throw error;
        }
      } else {
        forEachPiece(fd, payloadStart, payloadBytes, FILE_CHUNK, write);
      }
    } finally {
      closeSync(fd);
      closeSync(out);
    }
    if (sha.digest('hex') !== manifest.dump.sha256) throw new BackupRefusal(`${file} is damaged: its database dump does not match the digest in its manifest.`);

    const major = await serverMajor(pool);
    const { url, env } = connection(databaseUrl);
    await runTool(pgTool('pg_restore', major), ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', url, dumpFile], env);

    const verified = await verifyAuditChain(pool);
    if (!verified.ok) throw new BackupRefusal(`restored, but the audit log is BROKEN at entry ${verified.firstBadSeq}: ${verified.problem}.`);
    const head = manifest.auditHead;
    if (head) {
      const { rows: at } = await pool.query<{ hash: Buffer }>('SELECT hash FROM audit_events WHERE chain_pos = $1', [head.seq]);
      if (!at[0] || at[0].hash.toString('hex') !== head.hash) {
        throw new BackupRefusal(`restored, but audit entry ${head.seq} differs from the head recorded in the manifest: the backup was altered.`);
      }
    }
    return { manifest, auditEntries: verified.entries };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await pool.end();
  }
}
