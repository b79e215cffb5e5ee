import { CryptoError } from './errors';
import { concatBytes, expectLength, utf8 } from './encoding';
import { AEAD_OVERHEAD, NONCE_BYTES, SEAL_OVERHEAD, SIZES, type KeyPair } from './primitives';
import { aeadXDecrypt, aeadXEncrypt, boxSeal, boxSealOpen, randomBuf } from './sodium';

/**
 * aead(k, m, ad) of §0: nonce ‖ XChaCha20-Poly1305(m). `nonce` is for test vectors only;
 * production calls omit it and get 24 fresh random bytes.
 */
export function aeadEncrypt(key: Uint8Array, message: Uint8Array, ad: string, nonce?: Uint8Array): Uint8Array {
  expectLength(key, SIZES.key, 'key');
  const n = nonce ?? randomBuf(NONCE_BYTES);
  expectLength(n, NONCE_BYTES, 'nonce');
  return concatBytes(n, aeadXEncrypt(message, utf8(ad), n, key));
}

/** Decrypts, or throws decrypt_failed with `failure` as the message. */
export function aeadOpen(key: Uint8Array, ciphertext: Uint8Array, ad: string, failure: string): Uint8Array {
  expectLength(key, SIZES.key, 'key');
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length < AEAD_OVERHEAD) {
    throw new CryptoError('decrypt_failed', `${failure} (it is too short to be a ciphertext)`);
  }
  try {
    return aeadXDecrypt(ciphertext.subarray(NONCE_BYTES), utf8(ad), ciphertext.subarray(0, NONCE_BYTES), key);
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    throw new CryptoError('decrypt_failed', failure);
  }
}

/** `what` names the data in the error message, e.g. "attachment name". */
export function aeadDecrypt(key: Uint8Array, ciphertext: Uint8Array, ad: string, what = 'data'): Uint8Array {
  return aeadOpen(key, ciphertext, ad, `${what} could not be decrypted: wrong key, or it was altered or belongs elsewhere`);
}

/** seal(pk, m) of §0: anonymous sender, so the output is different every time. */
export function seal(publicKey: Uint8Array, message: Uint8Array): Uint8Array {
  expectLength(publicKey, SIZES.publicKey, 'public key');
  return boxSeal(message, publicKey);
}

export function openSealed(keyPair: KeyPair, ciphertext: Uint8Array, what = 'sealed key'): Uint8Array {
  expectLength(keyPair.publicKey, SIZES.publicKey, 'public key');
  expectLength(keyPair.privateKey, 32, 'private key');
  const failure = `${what} could not be opened: it was sealed to another key or altered`;
  if (!(ciphertext instanceof Uint8Array) || ciphertext.length < SEAL_OVERHEAD) {
    throw new CryptoError('decrypt_failed', `${failure} (it is too short)`);
  }
  try {
    return boxSealOpen(ciphertext, keyPair.publicKey, keyPair.privateKey);
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    throw new CryptoError('decrypt_failed', failure);
  }
}
