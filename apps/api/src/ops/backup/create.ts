import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { FILE_CHUNK, FileEncryptor, fileKeygen, fromB64, seal, toB64 } from '@sauti/crypto';
import { createPool } from '@sauti/db';
import { BACKUP_FORMAT, BACKUP_MAGIC, BackupRefusal, type BackupManifest } from './format';
import { auditHead, connection, forEachPiece, pgTool, runTool, serverMajor } from './postgres';

export async function createBackup(databaseUrl: string, file: string, options: { sealTo?: string; warn?: (line: string) => void } = {}): Promise<BackupManifest> {
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
    const { head, lagging } = await auditHead(pool);
    if (lagging) options.warn?.(`Warning: ${lagging}`);
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
