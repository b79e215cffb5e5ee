import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bytesEqual, FILE_CHUNK, FILE_CIPHER_CHUNK, FileDecryptor, fromB64, isCryptoError, openSealed, toB64 } from '@sauti/crypto';
import { createPool, verifyAuditChain } from '@sauti/db';
import { BackupRefusal, readBackupManifest, readOperatorKey, type BackupManifest } from './format';
import { connection, forEachPiece, localMigrations, pgTool, runTool, serverMajor } from './postgres';

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
