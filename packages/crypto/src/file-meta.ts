import { aeadEncrypt, aeadOpen } from './aead';
import { CryptoError } from './errors';
import { expectLength, fromB64, toB64 } from './encoding';
import { jsonBytes, parseJsonBytes } from './json';
import { SIZES } from './primitives';

export type FileMeta = { name: string; type: string; size: number; key: Uint8Array };

export const fileMetaAd = (caseId: string, fileId: string): string => `sip1/filemeta/${caseId}/${fileId}`;

/** §7 meta = aead(caseKey, utf8(JSON({name, type, size, key: b64(fileKey)})), …). */
export function encryptFileMeta(caseKey: Uint8Array, caseId: string, fileId: string, meta: FileMeta, nonce?: Uint8Array): Uint8Array {
  expectLength(meta.key, SIZES.key, 'file key');
  const json = { name: meta.name, type: meta.type, size: meta.size, key: toB64(meta.key) };
  return aeadEncrypt(caseKey, jsonBytes(json, 'file details'), fileMetaAd(caseId, fileId), nonce);
}

export function decryptFileMeta(caseKey: Uint8Array, caseId: string, fileId: string, meta: Uint8Array): FileMeta {
  const plain = aeadOpen(
    caseKey,
    meta,
    fileMetaAd(caseId, fileId),
    'file details could not be decrypted: wrong key, or they belong to another file or case',
  );
  const m = parseJsonBytes(plain, 'file details') as Partial<Record<keyof FileMeta, unknown>> | null;
  // Authenticated, but written by some client: check the shape before anyone trusts it.
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.name !== 'string' ||
    typeof m.type !== 'string' ||
    typeof m.size !== 'number' ||
    !Number.isSafeInteger(m.size) ||
    m.size < 0 ||
    typeof m.key !== 'string'
  ) {
    throw new CryptoError('bad_encoding', 'file details were decrypted but are incomplete');
  }
  const key = fromB64(m.key);
  if (key.length !== SIZES.key) throw new CryptoError('bad_encoding', 'file details were decrypted but hold no valid file key');
  return { name: m.name, type: m.type, size: m.size, key };
}
