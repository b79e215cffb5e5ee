import { CryptoError } from './errors';
import { utf8 } from './encoding';
import { hash } from './primitives';

const CANONICAL_DECIMAL = /^(0|[1-9][0-9]*)$/;

function nonceText(nonce: string | number | bigint): string {
  if (typeof nonce === 'string') return nonce;
  if (typeof nonce === 'bigint' ? nonce < 0n : !Number.isSafeInteger(nonce) || nonce < 0) {
    throw new CryptoError('bad_encoding', 'a proof-of-work nonce is a whole number ≥ 0');
  }
  return nonce.toString(); // decimal, no exponent, for both number and bigint
}

function checkDifficulty(difficulty: number): void {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 256) {
    throw new CryptoError('bad_encoding', `proof-of-work difficulty must be a whole number of bits from 0 to 256, got ${difficulty}`);
  }
}

/** §6: h(utf8(challenge + ":" + nonce)). */
export function powHash(challenge: string, nonce: string | number | bigint): Uint8Array {
  return hash(utf8(`${challenge}:${nonceText(nonce)}`));
}

/** Zero bits before the first one bit, most significant bit of byte 0 first. */
export function leadingZeroBits(h: Uint8Array): number {
  let n = 0;
  for (const b of h) {
    if (b === 0) {
      n += 8;
      continue;
    }
    return n + Math.clz32(b) - 24;
  }
  return n;
}

/** Server side. Only the canonical spelling counts, so one solution cannot be replayed as "007". */
export function verifyPow(challenge: string, nonce: string, difficulty: number): boolean {
  checkDifficulty(difficulty);
  if (typeof challenge !== 'string' || typeof nonce !== 'string' || !CANONICAL_DECIMAL.test(nonce)) return false;
  return leadingZeroBits(powHash(challenge, nonce)) >= difficulty;
}

const PROGRESS_EVERY = 16384;

/**
 * Client side: the smallest nonce, trying 0, 1, 2, … in order. Synchronous, so run
 * it in a worker. The decimal digits are counted in place to avoid a string per try.
 */
export function solvePow(challenge: string, difficulty: number, onProgress?: (tried: number) => void): string {
  checkDifficulty(difficulty);
  const prefix = utf8(`${challenge}:`);
  const buf = new Uint8Array(prefix.length + 40);
  buf.set(prefix);
  const digits = [0x30]; // "0", most significant first
  for (let tried = 1; ; tried++) {
    buf.set(digits, prefix.length);
    if (leadingZeroBits(hash(buf.subarray(0, prefix.length + digits.length))) >= difficulty) {
      return String.fromCharCode(...digits);
    }
    if (onProgress && tried % PROGRESS_EVERY === 0) onProgress(tried);
    incrementDecimal(digits);
  }
}

function incrementDecimal(digits: number[]): void {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] !== 0x39) {
      digits[i]! += 1;
      return;
    }
    digits[i] = 0x30;
  }
  digits.unshift(0x31);
}

/** Expected tries for a difficulty: each try succeeds with probability 2^-difficulty. */
export const powExpectedTries = (difficulty: number): number => 2 ** difficulty;

/**
 * What a reporter is told to expect (issue 11): the expected tries over this device's measured rate,
 * rounded up to whole seconds (at least 1); null until a rate is known. The number is an average:
 * a particular challenge can take a few times longer or be found at once.
 */
export function powExpectedSeconds(difficulty: number, triesPerSecond: number): number | null {
  if (!(triesPerSecond > 0) || !Number.isFinite(triesPerSecond)) return null;
  return Math.max(1, Math.ceil(powExpectedTries(difficulty) / triesPerSecond));
}
