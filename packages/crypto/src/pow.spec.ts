import { CryptoError, leadingZeroBits, powExpectedSeconds, powExpectedTries, powHash, randomUuid, ready, solvePow, toHex, utf8, hash, verifyPow } from './index';

beforeAll(ready);

describe('proof of work (§6)', () => {
  it('counts leading zero bits from the most significant bit of byte 0', () => {
    for (let k = 0; k < 256; k++) {
      const h = new Uint8Array(32);
      h[k >> 3] = 0x80 >> (k & 7);
      expect(leadingZeroBits(h)).toBe(k);
      h[31]! |= 1; // bits after the first one do not matter
      expect(leadingZeroBits(h)).toBe(k);
    }
    expect(leadingZeroBits(new Uint8Array(32))).toBe(256);
  });

  it('hashes challenge ":" nonce, whatever the nonce type', () => {
    const expected = toHex(hash(utf8('abc:12345')));
    expect(toHex(powHash('abc', '12345'))).toBe(expected);
    expect(toHex(powHash('abc', 12345))).toBe(expected);
    expect(toHex(powHash('abc', 12345n))).toBe(expected);
    expect(toHex(powHash('abc', 2 ** 53 - 1))).toBe(toHex(hash(utf8('abc:9007199254740991'))));
    for (const bad of [-1, 1.5, NaN, 2 ** 53, -1n]) expect(() => powHash('abc', bad)).toThrow(CryptoError);
  });

  it('finds the smallest nonce, which verifies while every smaller one does not', () => {
    for (let d = 0; d <= 10; d++) {
      const challenge = randomUuid();
      const nonce = solvePow(challenge, d);
      expect(nonce).toMatch(/^(0|[1-9][0-9]*)$/);
      expect(verifyPow(challenge, nonce, d)).toBe(true);
      expect(leadingZeroBits(powHash(challenge, nonce))).toBeGreaterThanOrEqual(d);
      for (let i = 0; i < Number(nonce); i++) expect(verifyPow(challenge, String(i), d)).toBe(false);
      expect(verifyPow(randomUuid(), nonce, d + 40)).toBe(false);
    }
  });

  it('accepts only the canonical decimal spelling', () => {
    const challenge = 'c';
    const nonce = solvePow(challenge, 6);
    for (const bad of [`0${nonce}`, `+${nonce}`, ` ${nonce}`, `${nonce} `, `${nonce}.0`, `${nonce}n`, '-0', '', '0x1', '１']) {
      expect(verifyPow(challenge, bad, 0)).toBe(false);
    }
    expect(verifyPow(challenge, '0', 0)).toBe(true);
    expect(verifyPow(challenge, 7 as unknown as string, 0)).toBe(false);
  });

  it('reports progress while solving', () => {
    // From the vectors: this challenge needs 20355 tries at 16 bits.
    const seen: number[] = [];
    expect(solvePow('sip1-pow-test/2024-03-14T12:00:00Z/1f3a', 16, (n) => seen.push(n))).toBe('20354');
    expect(seen).toEqual([16384]);
  });

  it('rejects impossible difficulties instead of looping forever', () => {
    for (const d of [-1, 1.5, 257, NaN]) {
      expect(() => solvePow('c', d)).toThrow(CryptoError);
      expect(() => verifyPow('c', '0', d)).toThrow(CryptoError);
    }
  });
});

describe('expected proof-of-work wait', () => {
  it('when the difficulty rises by one bit, then the expected tries and the expected wait double', () => {
    expect(powExpectedTries(18)).toBe(262_144);
    expect(powExpectedSeconds(18, 262_144)).toBe(1);
    expect(powExpectedSeconds(19, 262_144)).toBe(2);
    expect(powExpectedSeconds(24, 262_144)).toBe(64);
  });

  it('when no rate is measured yet, then there is no estimate; a fast device still waits at least a second', () => {
    expect(powExpectedSeconds(18, 0)).toBeNull();
    expect(powExpectedSeconds(18, Number.NaN)).toBeNull();
    expect(powExpectedSeconds(18, Number.POSITIVE_INFINITY)).toBeNull();
    expect(powExpectedSeconds(4, 1_000_000)).toBe(1);
  });
});
