import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totpCode } from './totp';

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890", 8 digits.
const SEED = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238 over HMAC-SHA1)', () => {
  it.each(VECTORS)('when the time is %i s, then the 8-digit code is %s', (seconds, expected) => {
    expect(totpCode(SEED, seconds * 1000, 8)).toBe(expected);
  });

  it('when HOTP is computed for the RFC 4226 test counters, then the codes match appendix D', () => {
    expect([0, 1, 2, 9].map((c) => hotp(SEED, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('when a code is one step late or early, then it matches that step; two steps off, then it does not', () => {
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(matchTotp(SEED, totpCode(SEED, now), now)).toBe(step);
    expect(matchTotp(SEED, totpCode(SEED, now - 30_000), now)).toBe(step - 1);
    expect(matchTotp(SEED, totpCode(SEED, now + 30_000), now)).toBe(step + 1);
    expect(matchTotp(SEED, totpCode(SEED, now - 60_000), now)).toBeNull();
    expect(matchTotp(SEED, '000000', now)).toBeNull();
  });

  it('when a secret is base32-encoded for an authenticator, then it decodes back and the URI names it', () => {
    expect(base32Encode(SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).toEqual(SEED);
    expect(otpauthUri(SEED, 'a@b.example')).toContain('secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });
});
