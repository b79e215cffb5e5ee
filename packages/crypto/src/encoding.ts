import { CryptoError } from './errors';
import { toBase64Url } from './sodium';

export type Bytes = Uint8Array;

const encoder = new TextEncoder();
// fatal: a ciphertext that authenticates but is not UTF-8 is a broken client, not text to guess at.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** base64url without padding, the protocol's one text encoding for bytes (§0). */
export function toB64(b: Uint8Array): string {
  return toBase64Url(b);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_VALUE[B64URL.charCodeAt(i)] = i;
const sextet = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  return c < 128 ? B64URL_VALUE[c]! : -1;
};
const notB64 = () => new CryptoError('bad_encoding', 'not valid base64url (unpadded)');

/**
 * Strict inverse of toB64: rejects padding, '+', '/', whitespace and non-canonical trailing bits.
 * Decoded in plain JavaScript rather than through libsodium's from_base64: the analyst's browser
 * decodes two strings per survey response (20,000 for 10,000 responses) and the copies into and out
 * of the WebAssembly heap cost more than the decoding itself.
 */
export function fromB64(s: string): Uint8Array {
  if (typeof s !== 'string') throw new CryptoError('bad_encoding', 'expected a base64url string');
  const n = s.length;
  const tail = n % 4;
  if (tail === 1) throw notB64();
  const out = new Uint8Array((n * 3) >> 2);
  let o = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = sextet(s, i);
    const b = sextet(s, i + 1);
    const c = sextet(s, i + 2);
    const d = sextet(s, i + 3);
    if ((a | b | c | d) < 0) throw notB64();
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  if (tail > 0) {
    const a = sextet(s, i);
    const b = sextet(s, i + 1);
    const c = tail === 3 ? sextet(s, i + 2) : 0;
    // The bits after the last whole byte must be zero: one encoding per byte string.
    if ((a | b | c) < 0 || (tail === 2 ? b & 15 : c & 3) !== 0) throw notB64();
    out[o++] = (a << 2) | (b >> 4);
    if (tail === 3) out[o++] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

export function fromUtf8(b: Uint8Array): string {
  try {
    return decoder.decode(b);
  } catch {
    throw new CryptoError('bad_encoding', 'not valid UTF-8');
  }
}

const HEX = '0123456789abcdef';

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += HEX[x >> 4]! + HEX[x & 15]!;
  return s;
}

export function fromHex(s: string): Uint8Array {
  if (typeof s !== 'string' || s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) {
    throw new CryptoError('bad_encoding', 'not a hex string');
  }
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Not constant-time: for comparing public values and test results only. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws bad_length unless b is a Uint8Array of exactly n bytes; `what` names it in the message. */
export function expectLength(b: Uint8Array, n: number, what: string): void {
  if (!(b instanceof Uint8Array)) throw new CryptoError('bad_length', `${what} must be a Uint8Array of ${n} bytes`);
  if (b.length !== n) throw new CryptoError('bad_length', `${what} must be ${n} bytes, got ${b.length}`);
}
