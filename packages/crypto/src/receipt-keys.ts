import { CryptoError } from './errors';
import { expectLength, utf8 } from './encoding';
import { hash, kdf, keyPairFromSeed, passwordHash, SIZES, type KeyPair } from './primitives';
import { normalizeReceipt } from './receipt';
import { memzero } from './sodium';

export type ReceiptKeys = { authKey: Uint8Array; lookup: Uint8Array; keyPair: KeyPair };

const CONTEXT = 'sip1rcpt';

/** §2. Runs argon2id (64 MiB): call it from a worker in the browser. */
export function deriveReceiptKeys(receipt: string, receiptSalt: Uint8Array): ReceiptKeys {
  const check = normalizeReceipt(receipt);
  if (!check.ok) throw new CryptoError(check.reason === 'length' ? 'bad_length' : 'bad_encoding', check.message);
  expectLength(receiptSalt, SIZES.salt, 'receipt salt');
  const master = passwordHash(utf8(check.receipt), receiptSalt);
  const authKey = kdf(master, 1, CONTEXT);
  const boxSeed = kdf(master, 2, CONTEXT);
  const keyPair = keyPairFromSeed(boxSeed);
  // Shortens the life of secrets nobody needs again; JS cannot promise more.
  memzero(master);
  memzero(boxSeed);
  return { authKey, lookup: hash(authKey), keyPair };
}

/** lookup = h(authKey): what the server compares on reporter login. */
export function lookupFromAuthKey(authKey: Uint8Array): Uint8Array {
  expectLength(authKey, 32, 'auth key');
  return hash(authKey);
}
