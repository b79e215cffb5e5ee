// (Re)generates packages/crypto/test-vectors.json (docs/protocol.md §8).
//   npx tsx packages/crypto/scripts/make-vectors.ts [--fresh]
// Inputs are derived from fixed labels, so every deterministic output is
// reproducible. Sealed boxes and secretstream headers are random by design:
// they are kept from the existing file unless --fresh is given, so rerunning
// does not churn them. The result is checked with runVectors before it is written.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  aeadEncrypt,
  concatBytes,
  fromB64,
  fromHex,
  createStaffKeys,
  deriveReceiptKeys,
  deriveStaffKeys,
  encryptFile,
  encryptFileMeta,
  encryptMessage,
  encryptNote,
  encryptedFileSize,
  formatReceipt,
  grantCaseKeys,
  hash,
  keyPairFromSeed,
  leadingZeroBits,
  normalizeReceipt,
  powHash,
  ready,
  receiptCheckSymbol,
  RECEIPT_ALPHABET,
  rewrapPrivateKey,
  runVectors,
  seal,
  sealReport,
  solvePow,
  toB64,
  toHex,
  utf8,
  verifyPow,
} from '../src/index';

type Vector = { name: string; section: string; kind: string; description?: string; input: object; expected: object };

const OUT = resolve(__dirname, '..', 'test-vectors.json');
const fresh = process.argv.includes('--fresh');
const previous = new Map<string, Record<string, unknown>>();
if (!fresh && existsSync(OUT)) {
  for (const v of (JSON.parse(readFileSync(OUT, 'utf8')) as { vectors: Vector[] }).vectors) {
    previous.set(v.name, v.input as Record<string, unknown>);
  }
}
/** A random output from the previous run, or a new one. */
function kept(name: string, field: string, make: () => string): string {
  const old = previous.get(name)?.[field];
  return typeof old === 'string' ? old : make();
}

/** n reproducible bytes named by a label. */
function det(label: string, n: number): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (let i = 0; blocks.length * 32 < n; i++) blocks.push(hash(utf8(`sip1-test-vector/${label}/${i}`)));
  return concatBytes(...blocks).slice(0, n);
}
const hx = toHex;
const flip = (b: Uint8Array, i: number): Uint8Array => {
  const c = b.slice();
  c[i]! ^= 1;
  return c;
};

const ID = {
  case: '6f1c2a9e-3b4d-4c5e-8f70-a1b2c3d4e5f6',
  otherCase: 'b7e8f9a0-1c2d-4e3f-9a4b-5c6d7e8f9a0b',
  message: '0d9e8f7a-6b5c-4d3e-a2f1-0e9d8c7b6a59',
  otherMessage: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  note: 'c3a1b2d4-e5f6-4a7b-b8c9-d0e1f2a3b4c5',
  file: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
  otherFile: 'e1d2c3b4-a5f6-4e7d-9c8b-7a6f5e4d3c2b',
  user: '9c8b7a6f-5e4d-4c3b-a291-807f6e5d4c3b',
  otherUser: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  investigator: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
  supervisor: 'f9e8d7c6-b5a4-4938-a7b6-c5d4e3f2a1b0',
  custodian: '7d6c5b4a-3928-4716-b5a4-93827160f5e4',
};

async function main(): Promise<void> {
  await ready();
  const V: Vector[] = [];
  const add = (section: string, kind: string, name: string, input: object, expected: object, description?: string): void => {
    V.push({ name, section, kind, ...(description ? { description } : {}), input, expected });
  };

  // §0 encodings and hash
  add('0', 'hash', 'hash/empty', { message: '' }, { hash: hx(hash(new Uint8Array(0))) }, 'BLAKE2b-256 of nothing');
  add('0', 'hash', 'hash/abc', { message: hx(utf8('abc')) }, { hash: hx(hash(utf8('abc'))) });
  for (const b of ['', 'ff', 'fbff', '000102', hx(det('b64', 32))]) {
    const bytes = Uint8Array.from(b.match(/../g) ?? [], (x) => parseInt(x, 16));
    add('0', 'b64', `b64/${b.length / 2}-bytes${b === 'fbff' ? '-urlsafe' : ''}`, { bytes: b }, { b64: toB64(bytes) });
  }
  for (const [why, s] of [
    ['padding', '_w=='],
    ['standard-alphabet-plus', '+w'],
    ['standard-alphabet-slash', '/w'],
    ['non-canonical-trailing-bits', '_x'],
    ['impossible-length', 'AAAAA'],
    ['whitespace', ' _w'],
  ] as const) {
    add('0', 'b64', `b64/reject-${why}`, { b64: s }, { error: 'bad_encoding' });
  }

  // §1 receipt
  const first19 = 'K7Q1M9XMF0WRT41B8N3'; // has a 0 and two 1s, for the O/I/L cases
  const receipt = first19 + receiptCheckSymbol(first19);
  const pretty = formatReceipt(receipt);
  add('1', 'receipt_check_symbol', 'receipt/check-symbol', { first19 }, { check: receipt.slice(19), formatted: pretty },
    'check = alphabet[h(utf8(first19))[0] >> 3]');
  for (const f19 of ['0000000000000000000', 'ZZZZZZZZZZZZZZZZZZZ', 'ABCDEFGHJKMNPQRSTVW']) {
    add('1', 'receipt_check_symbol', `receipt/check-symbol-${f19.slice(0, 4)}`, { first19: f19 },
      { check: receiptCheckSymbol(f19), formatted: formatReceipt(f19 + receiptCheckSymbol(f19)) });
  }
  const wrongCheck = first19 + RECEIPT_ALPHABET[(RECEIPT_ALPHABET.indexOf(receipt[19]!) + 1) % 32];
  // A 5-bit check misses 1 in 32 substitutions: pick one it catches, and say so.
  const typoG2 = [...RECEIPT_ALPHABET]
    .map((c) => receipt.slice(0, 6) + c + receipt.slice(7))
    .find((r) => r !== receipt && !normalizeReceipt(r).ok)!;
  const normalizeCases: [string, string][] = [
    ['plain', receipt],
    ['formatted', pretty],
    ['lowercase-and-spaces', ` ${pretty.toLowerCase().replace(/-/g, ' ')} `],
    ['O-for-0-I-and-L-for-1', pretty.replace(/0/g, 'O').replace('1', 'I').replace(/1/g, 'l')],
    ['tabs-and-newline', pretty.replace(/-/g, '\t') + '\n'],
    ['wrong-check-symbol', wrongCheck],
    ['typo-in-group-2', typoG2],
    ['too-short', receipt.slice(0, 19)],
    ['too-long', receipt + '0'],
    ['empty', ''],
    ['bad-symbol-U-group-1', 'U' + receipt.slice(1)],
    ['bad-symbol-star-group-3', receipt.slice(0, 12) + '*' + receipt.slice(13)],
    ['bad-symbol-U-group-4-lowercase', receipt.slice(0, 17).toLowerCase() + 'u' + receipt.slice(18)],
    ['non-ascii-sharp-s-group-2', receipt.slice(0, 5) + 'ß' + receipt.slice(6)],
    ['bad-symbol-after-20', receipt + '!'],
  ];
  for (const [why, input] of normalizeCases) {
    const r = normalizeReceipt(input);
    add('1', 'receipt_normalize', `receipt/normalize-${why}`, { input },
      r.ok ? { ok: true, receipt: r.receipt } : { ok: false, reason: r.reason, group: r.group });
  }

  // §2 receipt keys (argon2id)
  const receiptSalt = det('receiptSalt', 16);
  const rk = deriveReceiptKeys(pretty, receiptSalt);
  add('2', 'receipt_keys', 'receipt-keys/formatted-receipt', { receipt: pretty, receiptSalt: hx(receiptSalt) },
    { authKey: hx(rk.authKey), lookup: hx(rk.lookup), publicKey: hx(rk.keyPair.publicKey) },
    'master = argon2id(utf8(normalize(receipt)), salt); authKey = kdf(master,1,"sip1rcpt"); boxSeed = kdf(master,2,"sip1rcpt")');
  add('2', 'receipt_keys', 'receipt-keys/reject-typo', { receipt: wrongCheck, receiptSalt: hx(receiptSalt) }, { error: 'bad_encoding' });
  add('2', 'receipt_keys', 'receipt-keys/reject-length', { receipt: receipt.slice(1), receiptSalt: hx(receiptSalt) }, { error: 'bad_length' });
  add('2', 'receipt_keys', 'receipt-keys/reject-short-salt', { receipt, receiptSalt: hx(receiptSalt.slice(1)) }, { error: 'bad_length' });

  // §3 staff keys (argon2id)
  const staffSalt = det('staffSalt', 16);
  const staffSeed = det('staffKeyPairSeed', 32);
  const recoveryKey = det('recoveryKey', 32);
  const [n1, n2, n3] = [det('nonce/userkey', 24), det('nonce/recovery', 24), det('nonce/rewrap', 24)];
  const fullwidth = 'Ｐａｓｓｗｏｒｄ１２３';
  const sk = createStaffKeys(ID.user, fullwidth, { salt: staffSalt, keyPair: keyPairFromSeed(staffSeed), recoveryKey, nonces: [n1, n2] });
  add('3', 'staff_keys', 'staff-keys/fullwidth-password',
    { userId: ID.user, password: fullwidth, salt: hx(staffSalt), keyPairSeed: hx(staffSeed), recoveryKey: hx(recoveryKey), nonce1: hx(n1), nonce2: hx(n2) },
    {
      salt: hx(sk.salt), loginKey: hx(sk.loginKey), wrapKey: hx(sk.wrapKey), publicKey: hx(sk.keyPair.publicKey),
      recoveryKey: hx(recoveryKey), recoveryKeyText: sk.recoveryKeyText,
      encryptedPrivateKey: hx(sk.encryptedPrivateKey), recoveryEncryptedPrivateKey: hx(sk.recoveryEncryptedPrivateKey),
    },
    'the password is NFKC-normalised to "Password123" before argon2id; the key pair is crypto_box_seed_keypair(keyPairSeed)');
  const ascii = deriveStaffKeys('Password123', staffSalt);
  if (hx(ascii.loginKey) !== hx(sk.loginKey)) throw new Error('NFKC: fullwidth and ASCII passwords differ');
  add('3', 'staff_derive', 'staff-keys/nfkc-ascii-equivalent', { password: 'Password123', salt: hx(staffSalt) },
    { loginKey: hx(ascii.loginKey), wrapKey: hx(ascii.wrapKey) }, 'same keys as the fullwidth password');
  const nfd = deriveStaffKeys('cafe\u0301 crème', staffSalt);
  add('3', 'staff_derive', 'staff-keys/nfkc-decomposed-accents', { password: 'cafe\u0301 crème', salt: hx(staffSalt) },
    { loginKey: hx(nfd.loginKey), wrapKey: hx(nfd.wrapKey) }, 'NFKC composes e + U+0301 into é');
  const epk = hx(sk.encryptedPrivateKey);
  add('3', 'staff_unwrap', 'staff-unwrap/ok', { userId: ID.user, wrapKey: hx(sk.wrapKey), encryptedPrivateKey: epk }, { publicKey: hx(sk.keyPair.publicKey) });
  add('3', 'staff_unwrap', 'staff-unwrap/reject-other-user', { userId: ID.otherUser, wrapKey: hx(sk.wrapKey), encryptedPrivateKey: epk }, { error: 'decrypt_failed' });
  add('3', 'staff_unwrap', 'staff-unwrap/reject-login-key-as-wrap-key', { userId: ID.user, wrapKey: hx(sk.loginKey), encryptedPrivateKey: epk }, { error: 'decrypt_failed' });
  add('3', 'staff_unwrap', 'staff-unwrap/reject-truncated', { userId: ID.user, wrapKey: hx(sk.wrapKey), encryptedPrivateKey: epk.slice(0, 70) }, { error: 'decrypt_failed' });
  add('3', 'staff_unwrap', 'staff-unwrap/reject-short-key', { userId: ID.user, wrapKey: hx(sk.wrapKey).slice(2), encryptedPrivateKey: epk }, { error: 'bad_length' });
  const rtext = sk.recoveryKeyText;
  const messy = rtext.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'L');
  const rEpk = hx(sk.recoveryEncryptedPrivateKey);
  add('3', 'staff_recover', 'staff-recover/ok', { userId: ID.user, recoveryKeyText: rtext, recoveryEncryptedPrivateKey: rEpk }, { publicKey: hx(sk.keyPair.publicKey) });
  add('3', 'staff_recover', 'staff-recover/messy-text', { userId: ID.user, recoveryKeyText: messy, recoveryEncryptedPrivateKey: rEpk }, { publicKey: hx(sk.keyPair.publicKey) });
  add('3', 'staff_recover', 'staff-recover/reject-other-user', { userId: ID.otherUser, recoveryKeyText: rtext, recoveryEncryptedPrivateKey: rEpk }, { error: 'decrypt_failed' });
  add('3', 'staff_recover', 'staff-recover/reject-encrypted-private-key', { userId: ID.user, recoveryKeyText: rtext, recoveryEncryptedPrivateKey: epk }, { error: 'decrypt_failed' },
    'the password-wrapped copy does not open with the recovery key');
  add('3', 'recovery_key_parse', 'recovery-key/parse', { text: rtext }, { recoveryKey: hx(recoveryKey) }, '52 Crockford symbols, big-endian bits, 4 zero padding bits');
  add('3', 'recovery_key_parse', 'recovery-key/parse-messy', { text: messy }, { recoveryKey: hx(recoveryKey) });
  add('3', 'recovery_key_parse', 'recovery-key/reject-short', { text: rtext.slice(0, -1) }, { error: 'bad_length' });
  add('3', 'recovery_key_parse', 'recovery-key/reject-U', { text: 'U' + rtext.slice(1) }, { error: 'bad_encoding' });
  const lastSymbol = rtext[rtext.length - 1] === '0' ? '1' : 'H'; // sets a padding bit
  add('3', 'recovery_key_parse', 'recovery-key/reject-padding-bits', { text: rtext.slice(0, -1) + lastSymbol }, { error: 'bad_encoding' });
  const newSalt = det('staffSalt/rewrap', 16);
  const rw = rewrapPrivateKey(ID.user, sk.keyPair.privateKey, 'new passphrase ✓', { salt: newSalt, nonce: n3 });
  add('3', 'staff_rewrap', 'staff-rewrap/new-password',
    { userId: ID.user, privateKey: hx(sk.keyPair.privateKey), newPassword: 'new passphrase ✓', salt: hx(newSalt), nonce: hx(n3) },
    { salt: hx(rw.salt), loginKey: hx(rw.loginKey), encryptedPrivateKey: hx(rw.encryptedPrivateKey) });

  // §0 aead
  const aKey = det('aead/key', 32);
  const aNonce = det('aead/nonce', 24);
  for (const [name, msg] of [['hello', utf8('hello')], ['empty', new Uint8Array(0)]] as const) {
    add('0', 'aead', `aead/${name}`, { key: hx(aKey), nonce: hx(aNonce), ad: 'sip1/test', message: hx(msg) },
      { ciphertext: hx(aeadEncrypt(aKey, msg, 'sip1/test', aNonce)) }, 'nonce ‖ xchacha20poly1305_ietf(m, ad, nonce, key)');
  }
  const aCt = aeadEncrypt(aKey, utf8('hello'), 'sip1/test', aNonce);
  add('0', 'aead', 'aead/reject-wrong-ad', { key: hx(aKey), ad: 'sip1/test2', ciphertext: hx(aCt) }, { error: 'decrypt_failed' });
  add('0', 'aead', 'aead/reject-wrong-key', { key: hx(det('aead/other', 32)), ad: 'sip1/test', ciphertext: hx(aCt) }, { error: 'decrypt_failed' });
  add('0', 'aead', 'aead/reject-flipped-tag', { key: hx(aKey), ad: 'sip1/test', ciphertext: hx(flip(aCt, aCt.length - 1)) }, { error: 'decrypt_failed' });
  add('0', 'aead', 'aead/reject-flipped-nonce', { key: hx(aKey), ad: 'sip1/test', ciphertext: hx(flip(aCt, 0)) }, { error: 'decrypt_failed' });
  add('0', 'aead', 'aead/reject-too-short', { key: hx(aKey), ad: 'sip1/test', ciphertext: hx(aCt.slice(0, 39)) }, { error: 'decrypt_failed' });

  // §4 reports
  const caseKey = det('caseKey', 32);
  const staffKey = det('staffKey', 32);
  const identityKey = det('identityKey', 32);
  const seeds = { investigator: det('seed/investigator', 32), supervisor: det('seed/supervisor', 32), custodian: det('seed/custodian', 32), stranger: det('seed/stranger', 32) };
  const kp = (s: Uint8Array) => keyPairFromSeed(s);
  const body = { category: 'bribery', region: null, text: 'Le chef de poste exige 500 € par conteneur — "frais rapides".', occurredOn: '2024-03-14' };
  const identityBody = { name: 'Amina N.', phone: '+255 700 000 000', note: 'Appeler après 18h' };
  const recipientsIn = [
    { id: ID.investigator, seed: hx(seeds.investigator) },
    { id: ID.supervisor, seed: hx(seeds.supervisor) },
  ];
  const reportNonce = det('nonce/report', 24);
  const identityNonce = det('nonce/identity', 24);
  const reporterSeed = det('seed/reporter', 32);
  const reporter = kp(reporterSeed);
  const sealed = sealReport({
    caseId: ID.case, body, recipients: recipientsIn.map((r) => ({ id: r.id, publicKey: kp(fromHex(r.seed)).publicKey })),
    reporterPublicKey: reporter.publicKey, identity: { body: identityBody, custodians: [{ id: ID.custodian, publicKey: kp(seeds.custodian).publicKey }] },
    fixed: { caseKey, staffKey, identityKey, nonce: reportNonce, identityNonce },
  });
  const reportCommon = { caseId: ID.case, body, caseKey: hx(caseKey), staffKey: hx(staffKey), nonce: hx(reportNonce), recipients: recipientsIn, reporterSeed: hx(reporterSeed) };
  add('4', 'report', 'report/anonymous', { ...reportCommon, identity: null },
    { plaintext: JSON.stringify(body), report: hx(sealed.report) },
    'keyWraps and reporterSealedKey are random (crypto_box_seal); the check opens them with the seeded key pairs');
  add('4', 'report', 'report/with-identity',
    { ...reportCommon, identity: { body: identityBody, identityKey: hx(identityKey), nonce: hx(identityNonce), custodians: [{ id: ID.custodian, seed: hx(seeds.custodian) }] } },
    { plaintext: JSON.stringify(body), report: hx(sealed.report), identityCiphertext: hx(sealed.identity!.ciphertext) });
  add('4', 'report_open', 'report-open/ok', { caseKey: hx(caseKey), caseId: ID.case, report: hx(sealed.report) }, { body });
  add('4', 'report_open', 'report-open/reject-other-case', { caseKey: hx(caseKey), caseId: ID.otherCase, report: hx(sealed.report) }, { error: 'decrypt_failed' });
  add('4', 'report_open', 'report-open/reject-staff-key', { caseKey: hx(staffKey), caseId: ID.case, report: hx(sealed.report) }, { error: 'decrypt_failed' });
  add('4', 'identity_open', 'identity-open/ok', { identityKey: hx(identityKey), caseId: ID.case, ciphertext: hx(sealed.identity!.ciphertext) }, { body: identityBody });
  add('4', 'identity_open', 'identity-open/reject-case-key', { identityKey: hx(caseKey), caseId: ID.case, ciphertext: hx(sealed.identity!.ciphertext) }, { error: 'decrypt_failed' });
  add('4', 'identity_open', 'identity-open/reject-report-as-identity', { identityKey: hx(caseKey), caseId: ID.case, ciphertext: hx(sealed.report) }, { error: 'decrypt_failed' },
    'same key, but the report ad is not the identity ad');

  const wrap = kept('key-wrap/open', 'sealedKey', () => hx(grantCaseKeys({ caseKey, staffKey }, kp(seeds.investigator).publicKey)));
  const rsk = kept('sealed-key/open', 'sealedKey', () => hx(seal(reporter.publicKey, caseKey)));
  const wrapOf32 = kept('key-wrap/reject-32-byte-content', 'sealedKey', () => hx(seal(kp(seeds.investigator).publicKey, det('x', 32))));
  const wrapOf64 = kept('sealed-key/reject-64-byte-content', 'sealedKey', () => hx(seal(reporter.publicKey, det('y', 64))));
  add('4', 'key_wrap_open', 'key-wrap/open', { recipientSeed: hx(seeds.investigator), sealedKey: wrap }, { caseKey: hx(caseKey), staffKey: hx(staffKey) });
  add('4', 'key_wrap_open', 'key-wrap/reject-other-recipient', { recipientSeed: hx(seeds.stranger), sealedKey: wrap }, { error: 'decrypt_failed' });
  add('4', 'key_wrap_open', 'key-wrap/reject-altered', { recipientSeed: hx(seeds.investigator), sealedKey: hx(flip(fromHex(wrap), 60)) }, { error: 'decrypt_failed' });
  add('4', 'key_wrap_open', 'key-wrap/reject-80-byte-seal', { recipientSeed: hx(seeds.investigator), sealedKey: wrapOf32 }, { error: 'bad_length' });
  add('4', 'sealed_key_open', 'sealed-key/open', { recipientSeed: hx(reporterSeed), sealedKey: rsk }, { key: hx(caseKey) });
  add('4', 'sealed_key_open', 'sealed-key/reject-other-recipient', { recipientSeed: hx(seeds.investigator), sealedKey: rsk }, { error: 'decrypt_failed' });
  add('4', 'sealed_key_open', 'sealed-key/reject-64-byte-content', { recipientSeed: hx(reporterSeed), sealedKey: wrapOf64 }, { error: 'bad_length' });

  // §5 messages and notes
  const text = 'Merci. Pouvez-vous préciser la date ? 🙏';
  const mNonce = det('nonce/message', 24);
  const mBody = encryptMessage(caseKey, ID.case, ID.message, text, mNonce);
  add('5', 'message', 'message/encrypt', { caseKey: hx(caseKey), caseId: ID.case, messageId: ID.message, text, nonce: hx(mNonce) },
    { plaintext: JSON.stringify({ text }), body: hx(mBody) });
  const mOpen = { caseKey: hx(caseKey), caseId: ID.case, messageId: ID.message, body: hx(mBody) };
  add('5', 'message_open', 'message-open/ok', mOpen, { text });
  add('5', 'message_open', 'message-open/reject-other-message', { ...mOpen, messageId: ID.otherMessage }, { error: 'decrypt_failed' });
  add('5', 'message_open', 'message-open/reject-other-case', { ...mOpen, caseId: ID.otherCase }, { error: 'decrypt_failed' });
  add('5', 'message_open', 'message-open/reject-staff-key', { ...mOpen, caseKey: hx(staffKey) }, { error: 'decrypt_failed' });
  const noteText = 'Vérifier les registres du poste frontière avant de contacter le déclarant.';
  const nNonce = det('nonce/note', 24);
  const nBody = encryptNote(staffKey, ID.case, ID.note, noteText, nNonce);
  add('5', 'note', 'note/encrypt', { staffKey: hx(staffKey), caseId: ID.case, noteId: ID.note, text: noteText, nonce: hx(nNonce) },
    { plaintext: JSON.stringify({ text: noteText }), body: hx(nBody) });
  const nOpen = { staffKey: hx(staffKey), caseId: ID.case, noteId: ID.note, body: hx(nBody) };
  add('5', 'note_open', 'note-open/ok', nOpen, { text: noteText });
  add('5', 'note_open', 'note-open/reject-case-key', { ...nOpen, staffKey: hx(caseKey) }, { error: 'decrypt_failed' }, 'the reporter (who holds caseKey) cannot read notes');
  add('5', 'note_open', 'note-open/reject-message-as-note', { staffKey: hx(caseKey), caseId: ID.case, noteId: ID.message, body: hx(mBody) }, { error: 'decrypt_failed' },
    'same key and id, but a message ad is not a note ad');

  // §6 proof of work
  const challenge = 'sip1-pow-test/2024-03-14T12:00:00Z/1f3a';
  for (const d of [0, 1, 8, 12, 16]) {
    const nonce = solvePow(challenge, d);
    const h = powHash(challenge, nonce);
    for (let i = 0; i < Number(nonce); i++) if (verifyPow(challenge, String(i), d)) throw new Error(`${nonce} is not the smallest`);
    add('6', 'pow_solve', `pow/solve-${d}-bits`, { challenge, difficulty: d }, { nonce, hash: hx(h), leadingZeroBits: leadingZeroBits(h) });
  }
  const n12 = solvePow(challenge, 12);
  for (const [why, nonce, d] of [
    ['ok', n12, 12], ['ok-lower-difficulty', n12, 4], ['too-few-zero-bits', n12, 30],
    ['leading-zero', `0${n12}`, 12], ['plus-sign', `+${n12}`, 12], ['minus-zero', '-0', 0], ['space', ` ${n12}`, 12],
    ['exponent', '1e3', 0], ['decimal-point', `${n12}.0`, 12], ['empty', '', 0], ['zero', '0', 0],
  ] as const) {
    add('6', 'pow_verify', `pow/verify-${why}`, { challenge, nonce, difficulty: d }, { valid: verifyPow(challenge, nonce, d) });
  }
  for (const h of ['00'.repeat(32), '80' + '00'.repeat(31), '01' + 'ff'.repeat(31), '0000ff' + '00'.repeat(29), '00000f' + 'ff'.repeat(29)]) {
    add('6', 'leading_zero_bits', `pow/leading-zero-bits-${h.slice(0, 6)}`, { hash: h }, { bits: leadingZeroBits(fromHex(h)) });
  }

  // §7 files
  for (const n of [0, 1, 65535, 65536, 65537, 131072, 200000]) {
    add('7', 'file_size', `file-size/${n}`, { plainSize: n }, { encryptedSize: encryptedFileSize(n) });
  }
  const fileKey = det('fileKey', 32);
  const pattern = (length: number) => Uint8Array.from({ length }, (_, i) => i % 251);
  const fileCommon = { caseId: ID.case, fileId: ID.file, key: hx(fileKey) };
  for (const [name, length, description] of [
    ['file/65537-bytes', 65537, 'two chunks: 65536 bytes (TAG_MESSAGE) then 1 byte (TAG_FINAL); the header is random, so the stream is stored'],
    ['file/5-bytes', 5, 'same key, case and file id as file/65537-bytes, another stream: its chunks must not fit into the other'],
    ['file/empty', 0, 'an empty file is one empty FINAL chunk'],
  ] as const) {
    const plain = pattern(length);
    const s = kept(name, 'streamB64', () => toB64(encryptFile(ID.case, ID.file, fileKey, plain)));
    const bytes = fromB64(s);
    add('7', 'file_stream', name, { ...fileCommon, plaintext: { length, modulus: 251 }, streamB64: s },
      { streamLength: bytes.length, streamHash: hx(hash(bytes)), plaintextHash: hx(hash(plain)) }, description);
  }
  const big = 'file/65537-bytes';
  const L = encryptedFileSize(65537);
  const c1End = 24 + 65553;
  const part = (stream: string, start: number, end?: number) => ({ stream, start, ...(end === undefined ? {} : { end }) });
  for (const [why, over, parts, error, description] of [
    ['other-case', { caseId: ID.otherCase }, [part(big, 0)], 'decrypt_failed', 'stream moved to another case'],
    ['other-file', { fileId: ID.otherFile }, [part(big, 0)], 'decrypt_failed', undefined],
    ['wrong-key', { key: hx(caseKey) }, [part(big, 0)], 'decrypt_failed', undefined],
    ['final-chunk-missing', {}, [part(big, 0, c1End)], 'truncated_stream', 'cut at a chunk boundary: everything authenticates, but FINAL never comes'],
    ['cut-inside-final-chunk', {}, [part(big, 0, L - 5)], 'decrypt_failed', 'bytes that arrived do not authenticate as a last chunk'],
    ['cut-inside-chunk-1', {}, [part(big, 0, 30000)], 'decrypt_failed', undefined],
    ['cut-inside-header', {}, [part(big, 0, 10)], 'truncated_stream', undefined],
    ['empty', {}, [part(big, 0, 0)], 'truncated_stream', undefined],
    ['chunks-swapped', {}, [part(big, 0, 24), part(big, c1End), part(big, 24, c1End)], 'decrypt_failed', undefined],
    ['first-chunk-dropped', {}, [part(big, 0, 24), part(big, c1End)], 'decrypt_failed', undefined],
    ['final-chunk-from-other-stream', {}, [part(big, 0, c1End), part('file/5-bytes', 24)], 'decrypt_failed', 'same key and ad, other header'],
    ['header-from-other-stream', {}, [part('file/5-bytes', 0, 24), part(big, 24)], 'decrypt_failed', undefined],
    ['data-after-final', {}, [part(big, 0), part(big, c1End)], 'decrypt_failed', undefined],
  ] as const) {
    add('7', 'file_stream_reject', `file-reject/${why}`, { ...fileCommon, ...over, parts }, { error }, description);
  }
  for (const at of [5, 1000, L - 1]) {
    add('7', 'file_stream_reject', `file-reject/bit-flipped-at-${at}`, { ...fileCommon, parts: [part(big, 0)], flip: [at] }, { error: 'decrypt_failed' },
      'the low bit of byte `flip` of the assembled stream is inverted');
  }
  const metaNonce = det('nonce/filemeta', 24);
  const meta = { name: 'facture-2024-03.pdf', type: 'application/pdf', size: 65537, key: fileKey };
  const metaCt = encryptFileMeta(caseKey, ID.case, ID.file, meta, metaNonce);
  add('7', 'file_meta', 'file-meta/encrypt', { caseKey: hx(caseKey), caseId: ID.case, fileId: ID.file, meta: { ...meta, key: hx(fileKey) }, nonce: hx(metaNonce) },
    { plaintext: JSON.stringify({ ...meta, key: toB64(fileKey) }), ciphertext: hx(metaCt) });
  const metaOpen = { caseKey: hx(caseKey), caseId: ID.case, fileId: ID.file, ciphertext: hx(metaCt) };
  add('7', 'file_meta_open', 'file-meta-open/ok', metaOpen, { name: meta.name });
  add('7', 'file_meta_open', 'file-meta-open/reject-other-file', { ...metaOpen, fileId: ID.otherFile }, { error: 'decrypt_failed' });
  add('7', 'file_meta_open', 'file-meta-open/reject-other-case', { ...metaOpen, caseId: ID.otherCase }, { error: 'decrypt_failed' });

  const file = {
    protocol: 'SIP/1',
    description: 'Test vectors for docs/protocol.md §8. Regenerate with: npx tsx packages/crypto/scripts/make-vectors.ts',
    conventions: {
      bytes: 'lowercase hex, except fields ending in B64 (base64url without padding)',
      errors: 'expected.error is the CryptoError code the operation must throw',
      ids: 'lowercase UUID v4',
      random: 'sealed boxes and secretstream headers are random by design; they were produced once and are checked by opening them',
      fileStreamParts: 'a tampered stream is the concatenation of byte ranges [start, end) of the named streams, then the low bit of each byte offset in `flip` inverted',
    },
    vectors: V,
  };
  const check = await runVectors(file);
  if (check.failed.length > 0 || check.passed !== V.length) {
    throw new Error(`generated vectors do not verify: ${JSON.stringify(check.failed, null, 1)}`);
  }
  writeFileSync(OUT, JSON.stringify(file, null, 1) + '\n');
  process.stdout.write(`wrote ${V.length} vectors to ${OUT}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
