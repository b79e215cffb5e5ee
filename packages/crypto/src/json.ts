import { CryptoError } from './errors';
import { fromUtf8, utf8 } from './encoding';

/** utf8(JSON(x)) as the protocol encrypts it. */
export function jsonBytes(value: unknown, what: string): Uint8Array {
  const text = JSON.stringify(value);
  if (text === undefined) throw new CryptoError('bad_encoding', `${what} cannot be written as JSON`);
  return utf8(text);
}

/** Plaintext that authenticated but is not JSON means a broken client; say so, do not guess. */
export function parseJsonBytes(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(fromUtf8(bytes)) as unknown;
  } catch {
    throw new CryptoError('bad_encoding', `${what} was decrypted but is not valid JSON`);
  }
}
