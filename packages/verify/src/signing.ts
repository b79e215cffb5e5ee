import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { SIGNATURE_FORMAT, type SignatureDocument } from './manifest';

/**
 * What an Ed25519 release key signs: this context string, then the manifest's bytes. The context
 * keeps a release signature from being valid for anything else the same key might ever sign.
 */
export const SIGNING_CONTEXT = 'sauti-release-manifest/1\n';

// DER prefixes that turn a raw 32-byte Ed25519 key into SPKI / PKCS#8 (RFC 8410).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function rawKey(b64: string, what: string): Buffer {
  const raw = Buffer.from(b64.trim(), 'base64');
  if (raw.length !== 32) throw new Error(`${what} must be 32 bytes in base64 (got ${raw.length} bytes)`);
  return raw;
}

export function publicKeyObject(publicKeyB64: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, rawKey(publicKeyB64, 'a release public key')]), format: 'der', type: 'spki' });
}

function privateKeyObject(seedB64: string): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, rawKey(seedB64, 'the release private key')]), format: 'der', type: 'pkcs8' });
}

/** A short, stable name for a public key: the first 16 hex digits of SHA-256 over its raw bytes. */
export function keyIdOf(publicKeyB64: string): string {
  return createHash('sha256').update(rawKey(publicKeyB64, 'a release public key')).digest('hex').slice(0, 16);
}

export function publicKeyFromPrivate(seedB64: string): string {
  const spki = createPublicKey(privateKeyObject(seedB64)).export({ format: 'der', type: 'spki' });
  return Buffer.from(spki.subarray(SPKI_PREFIX.length)).toString('base64');
}

/** A new release key pair; the private key is the 32-byte seed in base64. */
export function generateReleaseKey(): { publicKey: string; privateKey: string } {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  const seed = Buffer.from(pkcs8.subarray(PKCS8_PREFIX.length)).toString('base64');
  return { privateKey: seed, publicKey: publicKeyFromPrivate(seed) };
}

function signedMessage(manifest: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(SIGNING_CONTEXT, 'utf8'), manifest]);
}

export function signManifest(manifest: Uint8Array, privateKeyB64: string): { keyId: string; signature: string } {
  const signature = sign(null, signedMessage(manifest), privateKeyObject(privateKeyB64));
  return { keyId: keyIdOf(publicKeyFromPrivate(privateKeyB64)), signature: signature.toString('base64') };
}

/** Adds (or replaces) one key's signature in a signature document. */
export function addSignature(doc: SignatureDocument | null, entry: { keyId: string; signature: string }): SignatureDocument {
  const others = (doc?.signatures ?? []).filter((s) => s.keyId !== entry.keyId);
  return { format: SIGNATURE_FORMAT, signatures: [...others, entry].sort((a, b) => a.keyId.localeCompare(b.keyId)) };
}

/** The ids of trusted keys with a valid signature over the manifest (empty: not signed by any). */
export function validSigners(manifest: Uint8Array, doc: SignatureDocument, trustedKeys: readonly string[]): string[] {
  const byId = new Map(trustedKeys.map((k) => [keyIdOf(k), k]));
  const valid: string[] = [];
  for (const { keyId, signature } of doc.signatures) {
    const key = byId.get(keyId);
    if (!key) continue;
    const sig = Buffer.from(signature, 'base64');
    if (sig.length === 64 && verify(null, signedMessage(manifest), publicKeyObject(key), sig)) valid.push(keyId);
  }
  return valid;
}
