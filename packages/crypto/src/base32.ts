import { CryptoError } from './errors';

/** Crockford base32: no I, L, O, U, so what is read aloud or copied by hand survives. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The forgiving reading of hand-typed Crockford text: ASCII uppercase, spaces
 * (any whitespace) and dashes dropped, O→0 and I/L→1. Other characters are kept,
 * so the caller can point at them.
 */
export function cleanCrockford(input: string): string {
  let out = '';
  for (const ch of input) {
    if (ch === '-' || /\s/.test(ch)) continue;
    // ASCII-only uppercasing: toUpperCase would turn e.g. 'ß' into 'SS' and accept it.
    const c = ch >= 'a' && ch <= 'z' ? String.fromCharCode(ch.charCodeAt(0) - 32) : ch;
    out += c === 'O' ? '0' : c === 'I' || c === 'L' ? '1' : c;
  }
  return out;
}

/** Big-endian bit order; the last symbol is padded with zero bits. */
export function encodeCrockford(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += CROCKFORD_ALPHABET[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD_ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/** Strict inverse of encodeCrockford for already-cleaned text of a known byte length. */
export function decodeCrockford(symbols: string, byteLength: number, what: string): Uint8Array {
  const expected = Math.ceil((byteLength * 8) / 5);
  if (symbols.length !== expected) {
    throw new CryptoError('bad_length', `${what} has ${expected} symbols, this one has ${symbols.length}`);
  }
  const out = new Uint8Array(byteLength);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const ch of symbols) {
    const v = CROCKFORD_ALPHABET.indexOf(ch);
    if (v < 0) throw new CryptoError('bad_encoding', `${what} contains a character that is not used in it`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  // Padding bits must be zero, so each key has exactly one spelling.
  if (acc !== 0) throw new CryptoError('bad_encoding', `${what} is not valid: its last symbol is wrong`);
  return out;
}
