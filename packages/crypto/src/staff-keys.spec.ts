import {
  bytesEqual,
  createStaffKeys,
  deriveStaffKeys,
  formatRecoveryKey,
  generateKeyPair,
  parseRecoveryKey,
  randomBytes,
  randomUuid,
  ready,
  recoverPrivateKey,
  rewrapPrivateKey,
  unwrapPrivateKey,
  type StaffKeyMaterial,
} from './index';
import { failure } from './spec-helpers';

// argon2id (64 MiB) is slow in JS, so one account is created and shared by the tests below.
const userId = '9c8b7a6f-5e4d-4c3b-a291-807f6e5d4c3b';
const password = 'Tamu sana, chai ya tangawizi! 2024';
let m: StaffKeyMaterial;
beforeAll(async () => {
  await ready();
  m = createStaffKeys(userId, password); // argon2id #1
});

describe('staff keys (§3)', () => {
  it('creates key material of the right shapes', () => {
    expect(m.salt).toHaveLength(16);
    expect(m.loginKey).toHaveLength(32);
    expect(m.wrapKey).toHaveLength(32);
    expect(bytesEqual(m.loginKey, m.wrapKey)).toBe(false);
    expect(m.keyPair.publicKey).toHaveLength(32);
    expect(m.recoveryKey).toHaveLength(32);
    expect(m.encryptedPrivateKey).toHaveLength(72);
    expect(m.recoveryEncryptedPrivateKey).toHaveLength(72);
    expect(m.recoveryKeyText).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){10}[0-9A-HJKMNP-TV-Z]{2}$/);
  });

  it('logs in again from password and salt: same loginKey, and the private key unwraps (argon2id #2)', () => {
    const k = deriveStaffKeys(password, m.salt);
    expect(bytesEqual(k.loginKey, m.loginKey)).toBe(true);
    const kp = unwrapPrivateKey(userId, k.wrapKey, m.encryptedPrivateKey);
    expect(bytesEqual(kp.privateKey, m.keyPair.privateKey)).toBe(true);
    expect(bytesEqual(kp.publicKey, m.keyPair.publicKey)).toBe(true);
  });

  it('a wrong password does not unwrap the private key (argon2id #3)', () => {
    const k = deriveStaffKeys(password + ' ', m.salt);
    expect(bytesEqual(k.loginKey, m.loginKey)).toBe(false);
    const e = failure(() => unwrapPrivateKey(userId, k.wrapKey, m.encryptedPrivateKey));
    expect(e.code).toBe('decrypt_failed');
    expect(e.message).toMatch(/^private key could not be decrypted: wrong password/);
  });

  it("binds the wrapped key to the account: another user's id does not unwrap it", () => {
    expect(failure(() => unwrapPrivateKey(randomUuid(), m.wrapKey, m.encryptedPrivateKey)).code).toBe('decrypt_failed');
    expect(failure(() => recoverPrivateKey(randomUuid(), m.recoveryKey, m.recoveryEncryptedPrivateKey)).code).toBe('decrypt_failed');
    expect(failure(() => unwrapPrivateKey(userId, m.loginKey, m.encryptedPrivateKey)).code).toBe('decrypt_failed');
  });

  it('recovers the private key from the recovery key as text (however typed) or bytes', () => {
    const typed = m.recoveryKeyText.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'O').replace(/1/g, 'l');
    for (const k of [m.recoveryKeyText, typed, m.recoveryKey]) {
      expect(bytesEqual(recoverPrivateKey(userId, k, m.recoveryEncryptedPrivateKey).privateKey, m.keyPair.privateKey)).toBe(true);
    }
    const e = failure(() => recoverPrivateKey(userId, formatRecoveryKey(randomBytes(32)), m.recoveryEncryptedPrivateKey));
    expect(e.code).toBe('decrypt_failed');
    expect(e.message).toMatch(/wrong recovery key/);
    // The two wrapped copies are not interchangeable.
    expect(failure(() => recoverPrivateKey(userId, m.recoveryKey, m.encryptedPrivateKey)).code).toBe('decrypt_failed');
  });

  it('a password change re-wraps the same private key under a new salt (argon2id #4, #5)', () => {
    const r = rewrapPrivateKey(userId, m.keyPair.privateKey, 'a brand new passphrase');
    expect(bytesEqual(r.salt, m.salt)).toBe(false);
    const k = deriveStaffKeys('a brand new passphrase', r.salt);
    expect(bytesEqual(k.loginKey, r.loginKey)).toBe(true);
    expect(bytesEqual(unwrapPrivateKey(userId, k.wrapKey, r.encryptedPrivateKey).privateKey, m.keyPair.privateKey)).toBe(true);
    expect(failure(() => unwrapPrivateKey(userId, m.wrapKey, r.encryptedPrivateKey)).code).toBe('decrypt_failed');
  });

  it('refuses bad inputs before running argon2id', () => {
    const other = generateKeyPair();
    const mismatched = { publicKey: other.publicKey, privateKey: generateKeyPair().privateKey };
    expect(failure(() => createStaffKeys(userId, 'pw', { keyPair: mismatched })).code).toBe('bad_encoding');
    expect(failure(() => createStaffKeys(userId, 'pw', { recoveryKey: randomBytes(16) })).code).toBe('bad_length');
    expect(failure(() => createStaffKeys(userId, 'pw', { salt: randomBytes(8) })).code).toBe('bad_length');
    expect(failure(() => deriveStaffKeys('pw', randomBytes(32))).code).toBe('bad_length');
    expect(failure(() => rewrapPrivateKey(userId, randomBytes(31), 'pw')).code).toBe('bad_length');
  });
});

describe('recovery key text', () => {
  it('round-trips 300 random keys, including messy typing', () => {
    for (let i = 0; i < 300; i++) {
      const k = randomBytes(32);
      const t = formatRecoveryKey(k);
      expect(bytesEqual(parseRecoveryKey(t), k)).toBe(true);
      expect(bytesEqual(parseRecoveryKey(` ${t.toLowerCase().replace(/-/g, '')} `), k)).toBe(true);
    }
    expect(bytesEqual(parseRecoveryKey(formatRecoveryKey(new Uint8Array(32).fill(255))), new Uint8Array(32).fill(255))).toBe(true);
  });

  it('rejects wrong lengths, foreign symbols and non-zero padding bits', () => {
    const t = formatRecoveryKey(randomBytes(32)).replace(/-/g, '');
    expect(failure(() => parseRecoveryKey(t.slice(1))).code).toBe('bad_length');
    expect(failure(() => parseRecoveryKey(t + '0')).code).toBe('bad_length');
    expect(failure(() => parseRecoveryKey('U' + t.slice(1))).code).toBe('bad_encoding');
    expect(failure(() => parseRecoveryKey(t.slice(0, 51) + (t[51] === '0' ? '1' : 'H'))).code).toBe('bad_encoding');
    expect(failure(() => parseRecoveryKey(42 as unknown as string)).code).toBe('bad_encoding');
  });
});
