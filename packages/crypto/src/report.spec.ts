import {
  aeadEncrypt,
  bytesEqual,
  decryptMessage,
  decryptNote,
  encryptMessage,
  encryptNote,
  generateKeyPair,
  grantCaseKeys,
  grantIdentityKey,
  openIdentity,
  openKeyWrap,
  openReport,
  openReporterKey,
  randomBytes,
  randomUuid,
  ready,
  sealReport,
  utf8,
  type KeyPair,
} from './index';
import { failure } from './spec-helpers';

beforeAll(ready);

type Person = { id: string; kp: KeyPair };
const person = (): Person => ({ id: randomUuid(), kp: generateKeyPair() });
const recipient = (p: Person) => ({ id: p.id, publicKey: p.kp.publicKey });

describe('sealReport and opening (§4)', () => {
  const body = { category: 'bribery', text: 'Ушуру — 500 € / conteneur 🚢', urgent: true, n: [1, 2, 3] };
  const identityBody = { name: 'Amina', phone: '+255 700 000 000' };

  function setup() {
    const staff = [person(), person(), person()];
    const custodian = person();
    const reporter = generateKeyPair();
    const caseId = randomUuid();
    const sealed = sealReport({
      caseId,
      body,
      recipients: staff.map(recipient),
      reporterPublicKey: reporter.publicKey,
      identity: { body: identityBody, custodians: [recipient(custodian)] },
    });
    return { staff, custodian, reporter, caseId, sealed };
  }

  it('lets every recipient and the reporter open the report, and returns no staffKey', () => {
    const { staff, reporter, caseId, sealed } = setup();
    expect(Object.keys(sealed).sort()).toEqual(['caseKey', 'identity', 'keyWraps', 'report', 'reporterSealedKey']);
    expect(sealed.keyWraps.map((w) => w.recipientId)).toEqual(staff.map((s) => s.id));
    const staffKeys = staff.map((s, i) => {
      const w = sealed.keyWraps[i]!;
      expect(w.sealedKey).toHaveLength(112);
      const k = openKeyWrap(s.kp, w.sealedKey);
      expect(bytesEqual(k.caseKey, sealed.caseKey)).toBe(true);
      expect(openReport(k.caseKey, caseId, sealed.report)).toEqual(body);
      return k.staffKey;
    });
    // All recipients share one staffKey, and it is not the caseKey.
    for (const k of staffKeys) expect(bytesEqual(k, staffKeys[0]!)).toBe(true);
    expect(bytesEqual(staffKeys[0]!, sealed.caseKey)).toBe(false);
    expect(sealed.reporterSealedKey).toHaveLength(80);
    const caseKey = openReporterKey(reporter, sealed.reporterSealedKey);
    expect(openReport(caseKey, caseId, sealed.report)).toEqual(body);
  });

  it('keeps staffKey from the reporter and the report from outsiders', () => {
    const { staff, reporter, sealed } = setup();
    expect(failure(() => openKeyWrap(reporter, sealed.keyWraps[0]!.sealedKey)).code).toBe('decrypt_failed');
    expect(failure(() => openKeyWrap(generateKeyPair(), sealed.keyWraps[0]!.sealedKey)).code).toBe('decrypt_failed');
    expect(failure(() => openKeyWrap(staff[1]!.kp, sealed.keyWraps[0]!.sealedKey)).code).toBe('decrypt_failed');
    expect(failure(() => openReporterKey(staff[0]!.kp, sealed.reporterSealedKey)).code).toBe('decrypt_failed');
  });

  it('binds the report to its case', () => {
    const { caseId, sealed } = setup();
    const e = failure(() => openReport(sealed.caseKey, randomUuid(), sealed.report));
    expect(e.code).toBe('decrypt_failed');
    expect(e.message).toBe('report could not be decrypted: wrong key, or it belongs to another case');
    expect(failure(() => openReport(randomBytes(32), caseId, sealed.report)).code).toBe('decrypt_failed');
    // A report ciphertext presented as an identity, under the same key, fails too.
    expect(failure(() => openIdentity(sealed.caseKey, caseId, sealed.report)).code).toBe('decrypt_failed');
  });

  it('seals the identity to custodians only; a custodian can grant it to an investigator', () => {
    const { staff, custodian, reporter, caseId, sealed } = setup();
    const id = sealed.identity!;
    expect(id.keyWraps.map((w) => w.recipientId)).toEqual([custodian.id]);
    expect(id.keyWraps[0]!.sealedKey).toHaveLength(80);
    expect(failure(() => openReporterKey(staff[0]!.kp, id.keyWraps[0]!.sealedKey)).code).toBe('decrypt_failed');
    const identityKey = openReporterKey(custodian.kp, id.keyWraps[0]!.sealedKey);
    expect(bytesEqual(openReporterKey(reporter, id.reporterSealedKey), identityKey)).toBe(true);
    expect(openIdentity(identityKey, caseId, id.ciphertext)).toEqual(identityBody);
    expect(failure(() => openIdentity(sealed.caseKey, caseId, id.ciphertext)).code).toBe('decrypt_failed');
    const grant = grantIdentityKey(identityKey, staff[0]!.kp.publicKey);
    expect(grant).toHaveLength(80);
    expect(openIdentity(openReporterKey(staff[0]!.kp, grant), caseId, id.ciphertext)).toEqual(identityBody);
  });

  it('a holder can grant the case to a new member, who then reads notes and messages', () => {
    const { staff, caseId, sealed } = setup();
    const keys = openKeyWrap(staff[0]!.kp, sealed.keyWraps[0]!.sealedKey);
    const noteId = randomUuid();
    const note = encryptNote(keys.staffKey, caseId, noteId, 'check the manifest');
    const newcomer = person();
    const grant = grantCaseKeys(keys, newcomer.kp.publicKey);
    expect(grant).toHaveLength(112);
    const got = openKeyWrap(newcomer.kp, grant);
    expect(decryptNote(got.staffKey, caseId, noteId, note)).toBe('check the manifest');
    expect(openReport(got.caseKey, caseId, sealed.report)).toEqual(body);
  });

  it('has no identity when none is given', () => {
    const s = sealReport({ caseId: randomUuid(), body, recipients: [recipient(person())], reporterPublicKey: generateKeyPair().publicKey });
    expect(s.identity).toBeNull();
  });

  it('uses fixed keys without wiping the caller’s buffers', () => {
    const caseKey = randomBytes(32);
    const staffKey = randomBytes(32);
    const [c0, s0] = [caseKey.slice(), staffKey.slice()];
    const p = person();
    const s = sealReport({ caseId: randomUuid(), body, recipients: [recipient(p)], reporterPublicKey: generateKeyPair().publicKey, fixed: { caseKey, staffKey } });
    expect(bytesEqual(caseKey, c0) && bytesEqual(staffKey, s0)).toBe(true);
    expect(bytesEqual(openKeyWrap(p.kp, s.keyWraps[0]!.sealedKey).staffKey, s0)).toBe(true);
  });

  it('rejects malformed inputs', () => {
    const pk = generateKeyPair().publicKey;
    expect(failure(() => sealReport({ caseId: randomUuid(), body: undefined, recipients: [], reporterPublicKey: pk })).code).toBe('bad_encoding');
    expect(failure(() => sealReport({ caseId: randomUuid(), body, recipients: [{ id: 'x', publicKey: randomBytes(31) }], reporterPublicKey: pk })).code).toBe('bad_length');
    expect(failure(() => sealReport({ caseId: randomUuid(), body, recipients: [], reporterPublicKey: randomBytes(33) })).code).toBe('bad_length');
    const kp = generateKeyPair();
    expect(failure(() => openKeyWrap(kp, randomBytes(80))).code).toBe('bad_length');
    expect(failure(() => openReporterKey(kp, randomBytes(112))).code).toBe('bad_length');
    expect(failure(() => grantCaseKeys({ caseKey: randomBytes(32), staffKey: randomBytes(16) }, kp.publicKey)).code).toBe('bad_length');
  });

  it('reports authenticated but non-JSON plaintext as bad_encoding', () => {
    const caseId = randomUuid();
    const k = randomBytes(32);
    expect(failure(() => openReport(k, caseId, aeadEncrypt(k, utf8('{not json'), `sip1/report/${caseId}`))).code).toBe('bad_encoding');
    expect(failure(() => openReport(k, caseId, aeadEncrypt(k, Uint8Array.of(0xff), `sip1/report/${caseId}`))).code).toBe('bad_encoding');
  });
});

describe('messages and notes (§5)', () => {
  it('round-trips any text, in both directions, under the case key', () => {
    const caseKey = randomBytes(32);
    const caseId = randomUuid();
    for (const text of ['', 'hello', 'Habari 👋🏿 "quoted" \\ \n\t\u0000', 'x'.repeat(20000)]) {
      const id = randomUuid();
      const body = encryptMessage(caseKey, caseId, id, text);
      expect(decryptMessage(caseKey, caseId, id, body)).toBe(text);
    }
  });

  it('binds a message to its case and id, and a note to staffKey', () => {
    const [caseKey, staffKey] = [randomBytes(32), randomBytes(32)];
    const [caseId, id] = [randomUuid(), randomUuid()];
    const body = encryptMessage(caseKey, caseId, id, 'hi');
    const e = failure(() => decryptMessage(caseKey, caseId, randomUuid(), body));
    expect(e.code).toBe('decrypt_failed');
    expect(e.message).toMatch(/^message could not be decrypted/);
    expect(failure(() => decryptMessage(caseKey, randomUuid(), id, body)).code).toBe('decrypt_failed');
    expect(failure(() => decryptNote(caseKey, caseId, id, body)).code).toBe('decrypt_failed');
    const note = encryptNote(staffKey, caseId, id, 'internal');
    expect(decryptNote(staffKey, caseId, id, note)).toBe('internal');
    expect(failure(() => decryptNote(caseKey, caseId, id, note)).code).toBe('decrypt_failed');
    expect(failure(() => decryptMessage(staffKey, caseId, id, note)).code).toBe('decrypt_failed');
  });

  it('refuses a decrypted message without text', () => {
    const [k, caseId, id] = [randomBytes(32), randomUuid(), randomUuid()];
    for (const json of ['{}', '{"text":5}', '"hi"', 'null', '[]']) {
      const body = aeadEncrypt(k, utf8(json), `sip1/message/${caseId}/${id}`);
      expect(failure(() => decryptMessage(k, caseId, id, body)).code).toBe('bad_encoding');
    }
  });
});
