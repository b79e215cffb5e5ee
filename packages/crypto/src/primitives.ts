import { CryptoError } from './errors';
import { expectLength, toHex } from './encoding';
import { argon2id, boxKeypair, boxSeedKeypair, generichash, kdfDerive, randomBuf, scalarmultBase } from './sodium';

export type KeyPair = { publicKey: Uint8Array; privateKey: Uint8Array };

/** Byte lengths the server checks (§4) plus the ones clients check locally. */
export const SIZES = { sealedCaseKey: 112, sealedKey: 80, publicKey: 32, lookup: 32, salt: 16, key: 32 } as const;

export const NONCE_BYTES = 24;
export const SEAL_OVERHEAD = 48;
export const AEAD_OVERHEAD = 40; // 24-byte nonce prefix + 16-byte tag

/** h(x) of §0: unkeyed BLAKE2b-256. */
export function hash(x: Uint8Array): Uint8Array {
  return generichash(32, x);
}

export function randomBytes(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new CryptoError('bad_length', `cannot make ${n} random bytes`);
  return randomBuf(n);
}

/** Lowercase UUID v4 from libsodium's CSPRNG, so IDs do not depend on crypto.randomUUID being present. */
export function randomUuid(): string {
  const b = randomBuf(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = toHex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The ID form §0 requires: lowercase UUID v4. */
export function isUuidV4(s: unknown): s is string {
  return typeof s === 'string' && UUID_V4.test(s);
}

export function generateKeyPair(): KeyPair {
  const { publicKey, privateKey } = boxKeypair();
  return { publicKey, privateKey };
}

export function keyPairFromSeed(seed: Uint8Array): KeyPair {
  expectLength(seed, 32, 'key pair seed');
  const { publicKey, privateKey } = boxSeedKeypair(seed);
  return { publicKey, privateKey };
}

export function keyPairFromPrivateKey(privateKey: Uint8Array): KeyPair {
  expectLength(privateKey, 32, 'private key');
  return { publicKey: scalarmultBase(privateKey), privateKey: privateKey.slice() };
}

/** A caller-supplied pair whose halves disagree would make every seal to it unreadable. */
export function checkedKeyPair(kp: KeyPair): KeyPair {
  const derived = keyPairFromPrivateKey(kp.privateKey);
  expectLength(kp.publicKey, SIZES.publicKey, 'public key');
  if (kp.publicKey.some((b, i) => b !== derived.publicKey[i])) {
    throw new CryptoError('bad_encoding', 'key pair: the public key does not belong to the private key');
  }
  return derived;
}

/** argon2id(pw, salt) of §0; the cost parameters are fixed by SIP/1, not tunable. */
export function passwordHash(pw: Uint8Array, salt: Uint8Array): Uint8Array {
  expectLength(salt, SIZES.salt, 'salt');
  return argon2id(32, pw, salt, 3, 67108864);
}

/** kdf(mk, id, ctx) of §0. */
export function kdf(masterKey: Uint8Array, id: number, ctx: string): Uint8Array {
  expectLength(masterKey, 32, 'master key');
  return kdfDerive(32, id, ctx, masterKey);
}
