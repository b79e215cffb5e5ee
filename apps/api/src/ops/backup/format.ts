import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { encryptedFileSize, fromB64, generateKeyPair, keyPairFromPrivateKey, toB64, type KeyPair } from '@sauti/crypto';

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
export const HEADER_BYTES = BACKUP_MAGIC.length + 4;
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

export class BackupRefusal extends Error {}

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
