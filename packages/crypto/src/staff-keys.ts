import { aeadEncrypt, aeadOpen } from './aead';
import { cleanCrockford, decodeCrockford, encodeCrockford } from './base32';
import { CryptoError } from './errors';
import { expectLength, utf8 } from './encoding';
import { checkedKeyPair, generateKeyPair, kdf, keyPairFromPrivateKey, passwordHash, SIZES, type KeyPair } from './primitives';
import { memzero, randomBuf } from './sodium';

export type StaffKeyMaterial = {
  salt: Uint8Array;
  loginKey: Uint8Array;
  wrapKey: Uint8Array;
  keyPair: KeyPair;
  recoveryKey: Uint8Array;
  /** Crockford base32 of recoveryKey in groups of five, shown once. */
  recoveryKeyText: string;
  encryptedPrivateKey: Uint8Array;
  recoveryEncryptedPrivateKey: Uint8Array;
};

const CONTEXT = 'sip1user';
const userKeyAd = (userId: string): string => `sip1/userkey/${userId}`;
const recoveryAd = (userId: string): string => `sip1/userkey-recovery/${userId}`;

/** §3 master → loginKey, wrapKey. NFKC so the same password typed on another keyboard still works. */
export function deriveStaffKeys(password: string, salt: Uint8Array): { loginKey: Uint8Array; wrapKey: Uint8Array } {
  if (typeof password !== 'string') throw new CryptoError('bad_encoding', 'password must be a string');
  expectLength(salt, SIZES.salt, 'salt');
  const master = passwordHash(utf8(password.normalize('NFKC')), salt);
  const keys = { loginKey: kdf(master, 1, CONTEXT), wrapKey: kdf(master, 2, CONTEXT) };
  memzero(master);
  return keys;
}

export function formatRecoveryKey(recoveryKey: Uint8Array): string {
  expectLength(recoveryKey, SIZES.key, 'recovery key');
  return (encodeCrockford(recoveryKey).match(/.{1,5}/g) ?? []).join('-');
}

/** Inverse of recoveryKeyText; forgiving about case, spaces, dashes and O/I/L. */
export function parseRecoveryKey(text: string): Uint8Array {
  if (typeof text !== 'string') throw new CryptoError('bad_encoding', 'recovery key must be text');
  return decodeCrockford(cleanCrockford(text), SIZES.key, 'a recovery key');
}

/** §3 account activation. `fixed` is for test vectors only. Runs argon2id once. */
export function createStaffKeys(
  userId: string,
  password: string,
  fixed?: { salt?: Uint8Array; keyPair?: KeyPair; recoveryKey?: Uint8Array; nonces?: Uint8Array[] },
): StaffKeyMaterial {
  // Everything that can be wrong with the inputs is checked before the slow argon2id.
  const keyPair = fixed?.keyPair ? checkedKeyPair(fixed.keyPair) : generateKeyPair();
  const recoveryKey = fixed?.recoveryKey?.slice() ?? randomBuf(SIZES.key);
  expectLength(recoveryKey, SIZES.key, 'recovery key');
  const salt = fixed?.salt?.slice() ?? randomBuf(SIZES.salt);
  const { loginKey, wrapKey } = deriveStaffKeys(password, salt);
  return {
    salt,
    loginKey,
    wrapKey,
    keyPair,
    recoveryKey,
    recoveryKeyText: formatRecoveryKey(recoveryKey),
    encryptedPrivateKey: aeadEncrypt(wrapKey, keyPair.privateKey, userKeyAd(userId), fixed?.nonces?.[0]),
    recoveryEncryptedPrivateKey: aeadEncrypt(recoveryKey, keyPair.privateKey, recoveryAd(userId), fixed?.nonces?.[1]),
  };
}

function privateKeyFrom(plain: Uint8Array, failure: string): KeyPair {
  if (plain.length !== 32) throw new CryptoError('decrypt_failed', `${failure} (it is not a private key)`);
  return keyPairFromPrivateKey(plain);
}

export function unwrapPrivateKey(userId: string, wrapKey: Uint8Array, encryptedPrivateKey: Uint8Array): KeyPair {
  const failure = 'private key could not be decrypted: wrong password, or it belongs to another account';
  return privateKeyFrom(aeadOpen(wrapKey, encryptedPrivateKey, userKeyAd(userId), failure), failure);
}

export function recoverPrivateKey(
  userId: string,
  recoveryKeyTextOrBytes: string | Uint8Array,
  recoveryEncryptedPrivateKey: Uint8Array,
): KeyPair {
  const key = typeof recoveryKeyTextOrBytes === 'string' ? parseRecoveryKey(recoveryKeyTextOrBytes) : recoveryKeyTextOrBytes;
  expectLength(key, SIZES.key, 'recovery key');
  const failure = 'private key could not be recovered: wrong recovery key, or it belongs to another account';
  return privateKeyFrom(aeadOpen(key, recoveryEncryptedPrivateKey, recoveryAd(userId), failure), failure);
}

/** Password change: the same private key under a new salt and password. Runs argon2id once. */
export function rewrapPrivateKey(
  userId: string,
  privateKey: Uint8Array,
  newPassword: string,
  fixed?: { salt?: Uint8Array; nonce?: Uint8Array },
): { salt: Uint8Array; loginKey: Uint8Array; encryptedPrivateKey: Uint8Array } {
  expectLength(privateKey, 32, 'private key');
  const salt = fixed?.salt?.slice() ?? randomBuf(SIZES.salt);
  const { loginKey, wrapKey } = deriveStaffKeys(newPassword, salt);
  const encryptedPrivateKey = aeadEncrypt(wrapKey, privateKey, userKeyAd(userId), fixed?.nonce);
  memzero(wrapKey);
  return { salt, loginKey, encryptedPrivateKey };
}
