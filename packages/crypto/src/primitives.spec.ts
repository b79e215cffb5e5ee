import {
  CryptoError,
  SIZES,
  bytesEqual,
  fromB64,
  fromHex,
  fromUtf8,
  hash,
  isCryptoError,
  isUuidV4,
  keyPairFromPrivateKey,
  keyPairFromSeed,
  generateKeyPair,
  randomBytes,
  randomUuid,
  ready,
  toB64,
  toHex,
  utf8,
} from './index';
import { fromBase64Url } from './sodium';
import { codeOf } from './spec-helpers';

beforeAll(ready);

describe('ready()', () => {
  it('refuses to work before the library is loaded, then loads idempotently', async () => {
    await jest.isolateModulesAsync(async () => {
      const fresh = await import('./index');
      expect(() => fresh.hash(new Uint8Array(1))).toThrow(fresh.CryptoError);
      expect(() => fresh.randomUuid()).toThrow(/await ready\(\)/);
      await Promise.all([fresh.ready(), fresh.ready()]);
      await fresh.ready();
      expect(fresh.hash(new Uint8Array(0))).toHaveLength(32);
    });
  });
});

describe('encoding', () => {
  it('round-trips base64url without padding for every length 0..100', () => {
    for (let n = 0; n <= 100; n++) {
      const b = randomBytes(n);
      const s = toB64(b);
      expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(s).toHaveLength(Math.ceil((n * 4) / 3));
      expect(bytesEqual(fromB64(s), b)).toBe(true);
    }
  });

  it('rejects anything but canonical base64url with bad_encoding', () => {
    for (const s of ['_w==', '+w', '/w', '_x', 'A', 'AAAAA', 'ab cd', 'é', '\n']) expect(codeOf(() => fromB64(s))).toBe('bad_encoding');
    expect(codeOf(() => fromB64(42 as unknown as string))).toBe('bad_encoding');
  });

  it('accepts and refuses exactly what the strict libsodium base64url decoder does', () => {
    // Every one-, two- and three-character tail after a whole group, with every character that
    // could come last (and some that must not), against libsodium's URLSAFE_NO_PADDING decoder.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = [...alphabet, '=', '+', '/', ' ', '.', '\u00ff', '\u0100'];
    const sodium = (s: string) => {
      try {
        return fromBase64Url(s);
      } catch {
        return 'bad_encoding';
      }
    };
    const ours = (s: string) => {
      try {
        return fromB64(s);
      } catch (e) {
        return (e as CryptoError).code;
      }
    };
    let accepted = 0;
    for (const head of ['', 'AbC-', 'AbC-_9zQ']) {
      for (const middle of ['', 'Q', 'Qw', 'w_']) {
        for (const c of last) {
          const s = `${head}${middle}${c}`;
          const [a, b] = [ours(s), sodium(s)];
          if (typeof b === 'string') expect([s, a]).toEqual([s, 'bad_encoding']);
          else {
            expect([s, a instanceof Uint8Array && bytesEqual(a, b)]).toEqual([s, true]);
            accepted++;
          }
        }
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('encodes UTF-8 and refuses to decode invalid UTF-8', () => {
    expect(toHex(utf8('é€🙏'))).toBe('c3a9e282acf09f998f');
    expect(fromUtf8(utf8('é€🙏'))).toBe('é€🙏');
    expect(codeOf(() => fromUtf8(Uint8Array.of(0xc3)))).toBe('bad_encoding');
    expect(codeOf(() => fromUtf8(Uint8Array.of(0xff, 0x41)))).toBe('bad_encoding');
  });

  it('hex round-trips and rejects odd or non-hex input', () => {
    const b = randomBytes(33);
    expect(bytesEqual(fromHex(toHex(b)), b)).toBe(true);
    expect(bytesEqual(fromHex('ABcd'), Uint8Array.of(0xab, 0xcd))).toBe(true);
    expect(codeOf(() => fromHex('abc'))).toBe('bad_encoding');
    expect(codeOf(() => fromHex('zz'))).toBe('bad_encoding');
  });
});

describe('primitives', () => {
  it('hash is BLAKE2b-256', () => {
    expect(toHex(hash(utf8('abc')))).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319');
  });

  it('randomUuid gives distinct lowercase UUID v4 strings', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const u = randomUuid();
      expect(isUuidV4(u)).toBe(true);
      seen.add(u);
    }
    expect(seen.size).toBe(2000);
    expect(isUuidV4('6F1C2A9E-3B4D-4C5E-8F70-A1B2C3D4E5F6')).toBe(false);
    expect(isUuidV4('6f1c2a9e-3b4d-1c5e-8f70-a1b2c3d4e5f6')).toBe(false);
    expect(isUuidV4('6f1c2a9e-3b4d-4c5e-cf70-a1b2c3d4e5f6')).toBe(false);
  });

  it('randomBytes gives the requested length and rejects nonsense', () => {
    expect(randomBytes(0)).toHaveLength(0);
    expect(randomBytes(37)).toHaveLength(37);
    expect(codeOf(() => randomBytes(-1))).toBe('bad_length');
    expect(codeOf(() => randomBytes(1.5))).toBe('bad_length');
  });

  it('exposes the byte lengths the server checks', () => {
    expect(SIZES).toEqual({ sealedCaseKey: 112, sealedKey: 80, publicKey: 32, lookup: 32, salt: 16, key: 32 });
  });

  it('derives key pairs from seeds and private keys consistently', () => {
    const seed = randomBytes(32);
    const a = keyPairFromSeed(seed);
    expect(bytesEqual(keyPairFromSeed(seed).publicKey, a.publicKey)).toBe(true);
    expect(bytesEqual(keyPairFromPrivateKey(a.privateKey).publicKey, a.publicKey)).toBe(true);
    const g = generateKeyPair();
    expect(bytesEqual(keyPairFromPrivateKey(g.privateKey).publicKey, g.publicKey)).toBe(true);
    expect(codeOf(() => keyPairFromSeed(randomBytes(31)))).toBe('bad_length');
  });

  it('CryptoError carries a code and is recognisable', () => {
    const e = new CryptoError('bad_length', 'x');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('CryptoError');
    expect(isCryptoError(e, 'bad_length')).toBe(true);
    expect(isCryptoError(e, 'decrypt_failed')).toBe(false);
    expect(isCryptoError(new Error('x'))).toBe(false);
  });
});
