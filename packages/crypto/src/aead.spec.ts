import { aeadDecrypt, aeadEncrypt, bytesEqual, generateKeyPair, openSealed, randomBytes, ready, seal, utf8 } from './index';
import { failure } from './spec-helpers';

beforeAll(ready);

describe('aead (§0)', () => {
  let key: Uint8Array;
  beforeAll(() => {
    key = randomBytes(32);
  });

  it('round-trips with a fresh nonce each time and 40 bytes of overhead', () => {
    for (const n of [0, 1, 15, 16, 17, 1000]) {
      const m = randomBytes(n);
      const a = aeadEncrypt(key, m, 'sip1/x');
      const b = aeadEncrypt(key, m, 'sip1/x');
      expect(a).toHaveLength(n + 40);
      expect(bytesEqual(a, b)).toBe(false);
      expect(bytesEqual(aeadDecrypt(key, a, 'sip1/x'), m)).toBe(true);
    }
  });

  it('is deterministic with an injected nonce (test vectors only)', () => {
    const nonce = randomBytes(24);
    expect(bytesEqual(aeadEncrypt(key, utf8('a'), 'ad', nonce), aeadEncrypt(key, utf8('a'), 'ad', nonce))).toBe(true);
    expect(bytesEqual(aeadEncrypt(key, utf8('a'), 'ad', nonce).subarray(0, 24), nonce)).toBe(true);
  });

  it('fails with decrypt_failed, naming what failed, on wrong ad, wrong key or any altered byte', () => {
    const c = aeadEncrypt(key, utf8('secret'), 'sip1/report/a');
    const e = failure(() => aeadDecrypt(key, c, 'sip1/report/b', 'report'));
    expect(e.code).toBe('decrypt_failed');
    expect(e.message).toMatch(/^report could not be decrypted: /);
    expect(failure(() => aeadDecrypt(randomBytes(32), c, 'sip1/report/a')).code).toBe('decrypt_failed');
    for (let i = 0; i < c.length; i++) {
      const t = c.slice();
      t[i]! ^= 0x80;
      expect(failure(() => aeadDecrypt(key, t, 'sip1/report/a')).code).toBe('decrypt_failed');
    }
    expect(failure(() => aeadDecrypt(key, c.subarray(0, 39), 'sip1/report/a')).code).toBe('decrypt_failed');
    expect(failure(() => aeadDecrypt(key, c.subarray(0, c.length - 1), 'sip1/report/a')).code).toBe('decrypt_failed');
  });

  it('rejects wrong key and nonce lengths with bad_length', () => {
    expect(failure(() => aeadEncrypt(randomBytes(31), utf8('x'), 'ad')).code).toBe('bad_length');
    expect(failure(() => aeadEncrypt(key, utf8('x'), 'ad', randomBytes(12))).code).toBe('bad_length');
    expect(failure(() => aeadDecrypt(randomBytes(33), randomBytes(50), 'ad')).code).toBe('bad_length');
  });
});

describe('seal (§0)', () => {
  it('round-trips with 48 bytes of overhead and differs every time', () => {
    const kp = generateKeyPair();
    const m = randomBytes(64);
    const a = seal(kp.publicKey, m);
    expect(a).toHaveLength(112);
    expect(bytesEqual(a, seal(kp.publicKey, m))).toBe(false);
    expect(bytesEqual(openSealed(kp, a), m)).toBe(true);
  });

  it('cannot be opened by another key pair or after tampering', () => {
    const kp = generateKeyPair();
    const c = seal(kp.publicKey, randomBytes(32));
    const e = failure(() => openSealed(generateKeyPair(), c, 'case key wrap'));
    expect(e.code).toBe('decrypt_failed');
    expect(e.message).toMatch(/^case key wrap could not be opened/);
    const t = c.slice();
    t[50]! ^= 1;
    expect(failure(() => openSealed(kp, t)).code).toBe('decrypt_failed');
    expect(failure(() => openSealed(kp, c.subarray(0, 47))).code).toBe('decrypt_failed');
    expect(failure(() => seal(randomBytes(31), randomBytes(32))).code).toBe('bad_length');
  });
});
