// One check per vector kind, using only the public API, so test-vectors.json
// exercises exactly what the apps call, in Node and in a browser alike.
import { aeadDecrypt, aeadEncrypt } from './aead';
import { CryptoError } from './errors';
import { concatBytes, fromB64, fromHex, toB64, toHex, utf8 } from './encoding';
import { decryptFileMeta, encryptFileMeta } from './file-meta';
import { decryptFile, encryptedFileSize, FileDecryptor } from './file-stream';
import { decryptMessage, decryptNote, encryptMessage, encryptNote } from './messages';
import { leadingZeroBits, powHash, solvePow, verifyPow } from './pow';
import { hash, keyPairFromSeed } from './primitives';
import { formatReceipt, normalizeReceipt, receiptCheckSymbol } from './receipt';
import { deriveReceiptKeys, lookupFromAuthKey } from './receipt-keys';
import { openIdentity, openKeyWrap, openReport, openReporterKey, sealReport } from './report';
import { createStaffKeys, deriveStaffKeys, parseRecoveryKey, recoverPrivateKey, rewrapPrivateKey, unwrapPrivateKey } from './staff-keys';

export type Obj = Record<string, unknown>;
export type Context = { streams: Map<string, Uint8Array> };
type Check = (input: Obj, expected: Obj, ctx: Context) => void;

// --- reading the untyped JSON --------------------------------------------------

export function obj(o: Obj, k: string): Obj {
  const v = o[k];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`field ${k}: expected an object`);
  return v as Obj;
}
function arr(o: Obj, k: string): Obj[] {
  const v = o[k];
  if (!Array.isArray(v)) throw new Error(`field ${k}: expected an array`);
  return v as Obj[];
}
export function str(o: Obj, k: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new Error(`field ${k}: expected a string`);
  return v;
}
function num(o: Obj, k: string): number {
  const v = o[k];
  if (typeof v !== 'number') throw new Error(`field ${k}: expected a number`);
  return v;
}
const hex = (o: Obj, k: string): Uint8Array => fromHex(str(o, k));

// --- assertions ------------------------------------------------------------------

function eq(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
const eqHex = (actual: Uint8Array, expected: Obj, k: string): void => eq(toHex(actual), str(expected, k), k);

function throwsCode(fn: () => unknown, code: string, what: string): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof CryptoError && e.code === code) return;
    throw new Error(`${what}: expected CryptoError(${code}), got ${e instanceof CryptoError ? e.code : String(e)}`);
  }
  throw new Error(`${what}: expected CryptoError(${code}), but it succeeded`);
}

/** Vectors that must fail carry expected.error (a CryptoError code); the others carry outputs. */
function outcome(expected: Obj, what: string, run: () => void, fail: () => unknown): void {
  if (typeof expected.error === 'string') throwsCode(fail, expected.error, what);
  else run();
}

const seedPair = (o: Obj, k: string) => keyPairFromSeed(hex(o, k));

function fileStreamOf(input: Obj, ctx: Context): Uint8Array {
  if (typeof input.streamB64 === 'string') return fromB64(input.streamB64);
  const parts = arr(input, 'parts').map((p) => {
    const s = ctx.streams.get(str(p, 'stream'));
    if (!s) throw new Error(`unknown stream ${str(p, 'stream')}`);
    return s.subarray(num(p, 'start'), p.end === undefined ? s.length : num(p, 'end'));
  });
  const out = concatBytes(...parts);
  if (input.flip !== undefined) {
    for (const at of input.flip as number[]) out[at]! ^= 1;
  }
  return out;
}

/** Byte i of a generated plaintext is i % modulus: long inputs without storing them. */
function patternPlaintext(input: Obj): Uint8Array {
  const p = obj(input, 'plaintext');
  const out = new Uint8Array(num(p, 'length'));
  const m = num(p, 'modulus');
  for (let i = 0; i < out.length; i++) out[i] = i % m;
  return out;
}

// --- the checks --------------------------------------------------------------------

export const CHECKS: Record<string, Check> = {
  hash: (i, e) => eqHex(hash(hex(i, 'message')), e, 'hash'),

  b64: (i, e) =>
    outcome(
      e,
      'fromB64',
      () => {
        eq(toB64(hex(i, 'bytes')), str(e, 'b64'), 'toB64');
        eq(toHex(fromB64(str(e, 'b64'))), str(i, 'bytes'), 'fromB64');
      },
      () => fromB64(str(i, 'b64')),
    ),

  receipt_check_symbol: (i, e) => {
    const first19 = str(i, 'first19');
    eq(receiptCheckSymbol(first19), str(e, 'check'), 'check symbol');
    eq(formatReceipt(first19 + str(e, 'check')), str(e, 'formatted'), 'formatReceipt');
    eq(normalizeReceipt(first19 + str(e, 'check')).ok, true, 'normalizeReceipt.ok');
  },

  receipt_normalize: (i, e) => {
    const r = normalizeReceipt(str(i, 'input'));
    if (e.ok === true) return eq(r, { ok: true, receipt: str(e, 'receipt') }, 'normalizeReceipt');
    if (r.ok) throw new Error(`normalizeReceipt: expected a failure, got ok`);
    eq([r.reason, r.group], [e.reason, e.group], 'normalizeReceipt reason/group');
    if (r.reason === 'check' && !r.message.includes('the receipt has a typo')) throw new Error(`message: ${r.message}`);
    if (r.reason === 'length' && !r.message.includes('20')) throw new Error(`message does not say 20: ${r.message}`);
  },

  receipt_keys: (i, e) =>
    outcome(
      e,
      'deriveReceiptKeys',
      () => {
        const k = deriveReceiptKeys(str(i, 'receipt'), hex(i, 'receiptSalt'));
        eqHex(k.authKey, e, 'authKey');
        eqHex(k.lookup, e, 'lookup');
        eqHex(k.keyPair.publicKey, e, 'publicKey');
        eqHex(lookupFromAuthKey(k.authKey), e, 'lookup');
      },
      () => deriveReceiptKeys(str(i, 'receipt'), hex(i, 'receiptSalt')),
    ),

  staff_keys: (i, e) => {
    const userId = str(i, 'userId');
    const m = createStaffKeys(userId, str(i, 'password'), {
      salt: hex(i, 'salt'),
      keyPair: seedPair(i, 'keyPairSeed'),
      recoveryKey: hex(i, 'recoveryKey'),
      nonces: [hex(i, 'nonce1'), hex(i, 'nonce2')],
    });
    for (const k of ['salt', 'loginKey', 'wrapKey', 'recoveryKey', 'encryptedPrivateKey', 'recoveryEncryptedPrivateKey'] as const) {
      eqHex(m[k], e, k);
    }
    eqHex(m.keyPair.publicKey, e, 'publicKey');
    eq(m.recoveryKeyText, str(e, 'recoveryKeyText'), 'recoveryKeyText');
    eqHex(unwrapPrivateKey(userId, m.wrapKey, m.encryptedPrivateKey).publicKey, e, 'publicKey');
    eqHex(recoverPrivateKey(userId, m.recoveryKeyText, m.recoveryEncryptedPrivateKey).publicKey, e, 'publicKey');
  },

  staff_derive: (i, e) => {
    const k = deriveStaffKeys(str(i, 'password'), hex(i, 'salt'));
    eqHex(k.loginKey, e, 'loginKey');
    eqHex(k.wrapKey, e, 'wrapKey');
  },

  staff_unwrap: (i, e) => {
    const run = () => unwrapPrivateKey(str(i, 'userId'), hex(i, 'wrapKey'), hex(i, 'encryptedPrivateKey'));
    outcome(e, 'unwrapPrivateKey', () => eqHex(run().publicKey, e, 'publicKey'), run);
  },

  staff_recover: (i, e) => {
    const run = () => recoverPrivateKey(str(i, 'userId'), str(i, 'recoveryKeyText'), hex(i, 'recoveryEncryptedPrivateKey'));
    outcome(e, 'recoverPrivateKey', () => eqHex(run().publicKey, e, 'publicKey'), run);
  },

  recovery_key_parse: (i, e) => {
    const run = () => parseRecoveryKey(str(i, 'text'));
    outcome(e, 'parseRecoveryKey', () => eqHex(run(), e, 'recoveryKey'), run);
  },

  staff_rewrap: (i, e) => {
    const r = rewrapPrivateKey(str(i, 'userId'), hex(i, 'privateKey'), str(i, 'newPassword'), {
      salt: hex(i, 'salt'),
      nonce: hex(i, 'nonce'),
    });
    eqHex(r.salt, e, 'salt');
    eqHex(r.loginKey, e, 'loginKey');
    eqHex(r.encryptedPrivateKey, e, 'encryptedPrivateKey');
  },

  aead: (i, e) => {
    const run = () => aeadDecrypt(hex(i, 'key'), hex(i, 'ciphertext'), str(i, 'ad'));
    if (typeof e.error === 'string') return throwsCode(run, e.error, 'aeadDecrypt');
    const c = aeadEncrypt(hex(i, 'key'), hex(i, 'message'), str(i, 'ad'), hex(i, 'nonce'));
    eqHex(c, e, 'ciphertext');
    eq(toHex(aeadDecrypt(hex(i, 'key'), c, str(i, 'ad'))), str(i, 'message'), 'aeadDecrypt');
  },

  report: (i, e) => {
    const caseKey = hex(i, 'caseKey');
    const staffKey = hex(i, 'staffKey');
    const recipients = arr(i, 'recipients').map((r) => ({ id: str(r, 'id'), kp: seedPair(r, 'seed') }));
    const reporter = seedPair(i, 'reporterSeed');
    const id = i.identity === null ? null : obj(i, 'identity');
    const custodians = id ? arr(id, 'custodians').map((r) => ({ id: str(r, 'id'), kp: seedPair(r, 'seed') })) : [];
    const caseId = str(i, 'caseId');
    const s = sealReport({
      caseId,
      body: i.body,
      recipients: recipients.map((r) => ({ id: r.id, publicKey: r.kp.publicKey })),
      reporterPublicKey: reporter.publicKey,
      identity: id ? { body: id.body, custodians: custodians.map((c) => ({ id: c.id, publicKey: c.kp.publicKey })) } : null,
      fixed: { caseKey, staffKey, nonce: hex(i, 'nonce'), ...(id ? { identityKey: hex(id, 'identityKey'), identityNonce: hex(id, 'nonce') } : {}) },
    });
    eq(toHex(utf8(JSON.stringify(i.body))), toHex(utf8(str(e, 'plaintext'))), 'plaintext');
    eqHex(s.report, e, 'report');
    eqHex(s.caseKey, i, 'caseKey');
    eq(s.keyWraps.map((w) => w.recipientId), recipients.map((r) => r.id), 'keyWraps recipients');
    s.keyWraps.forEach((w, n) => {
      eq(w.sealedKey.length, 112, 'keyWrap length');
      const k = openKeyWrap(recipients[n]!.kp, w.sealedKey);
      eq([toHex(k.caseKey), toHex(k.staffKey)], [toHex(caseKey), toHex(staffKey)], 'keyWrap contents');
    });
    eq(s.reporterSealedKey.length, 80, 'reporterSealedKey length');
    eq(toHex(openReporterKey(reporter, s.reporterSealedKey)), toHex(caseKey), 'reporterSealedKey contents');
    eq(openReport(caseKey, caseId, s.report), i.body, 'openReport');
    if (!id) return eq(s.identity, null, 'identity');
    if (!s.identity) throw new Error('identity: missing');
    eqHex(s.identity.ciphertext, e, 'identityCiphertext');
    eq(s.identity.keyWraps.map((w) => w.recipientId), custodians.map((c) => c.id), 'identity keyWraps recipients');
    s.identity.keyWraps.forEach((w, n) => {
      eq(w.sealedKey.length, 80, 'identity keyWrap length');
      eq(toHex(openReporterKey(custodians[n]!.kp, w.sealedKey)), str(id, 'identityKey'), 'identity keyWrap contents');
    });
    eq(toHex(openReporterKey(reporter, s.identity.reporterSealedKey)), str(id, 'identityKey'), 'identity reporterSealedKey');
    eq(openIdentity(hex(id, 'identityKey'), caseId, s.identity.ciphertext), id.body, 'openIdentity');
  },

  report_open: (i, e) => {
    const run = () => openReport(hex(i, 'caseKey'), str(i, 'caseId'), hex(i, 'report'));
    outcome(e, 'openReport', () => eq(run(), e.body, 'openReport'), run);
  },

  identity_open: (i, e) => {
    const run = () => openIdentity(hex(i, 'identityKey'), str(i, 'caseId'), hex(i, 'ciphertext'));
    outcome(e, 'openIdentity', () => eq(run(), e.body, 'openIdentity'), run);
  },

  key_wrap_open: (i, e) => {
    const run = () => openKeyWrap(seedPair(i, 'recipientSeed'), hex(i, 'sealedKey'));
    outcome(
      e,
      'openKeyWrap',
      () => {
        const k = run();
        eqHex(k.caseKey, e, 'caseKey');
        eqHex(k.staffKey, e, 'staffKey');
      },
      run,
    );
  },

  sealed_key_open: (i, e) => {
    const run = () => openReporterKey(seedPair(i, 'recipientSeed'), hex(i, 'sealedKey'));
    outcome(e, 'openReporterKey', () => eqHex(run(), e, 'key'), run);
  },

  message: (i, e) => {
    const [key, caseId, id, text] = [hex(i, 'caseKey'), str(i, 'caseId'), str(i, 'messageId'), str(i, 'text')];
    eq(JSON.stringify({ text }), str(e, 'plaintext'), 'plaintext');
    eqHex(encryptMessage(key, caseId, id, text, hex(i, 'nonce')), e, 'body');
    eq(decryptMessage(key, caseId, id, hex(e, 'body')), text, 'decryptMessage');
  },

  message_open: (i, e) => {
    const run = () => decryptMessage(hex(i, 'caseKey'), str(i, 'caseId'), str(i, 'messageId'), hex(i, 'body'));
    outcome(e, 'decryptMessage', () => eq(run(), str(e, 'text'), 'decryptMessage'), run);
  },

  note: (i, e) => {
    const [key, caseId, id, text] = [hex(i, 'staffKey'), str(i, 'caseId'), str(i, 'noteId'), str(i, 'text')];
    eq(JSON.stringify({ text }), str(e, 'plaintext'), 'plaintext');
    eqHex(encryptNote(key, caseId, id, text, hex(i, 'nonce')), e, 'body');
    eq(decryptNote(key, caseId, id, hex(e, 'body')), text, 'decryptNote');
  },

  note_open: (i, e) => {
    const run = () => decryptNote(hex(i, 'staffKey'), str(i, 'caseId'), str(i, 'noteId'), hex(i, 'body'));
    outcome(e, 'decryptNote', () => eq(run(), str(e, 'text'), 'decryptNote'), run);
  },

  pow_solve: (i, e) => {
    const [challenge, difficulty] = [str(i, 'challenge'), num(i, 'difficulty')];
    eq(solvePow(challenge, difficulty), str(e, 'nonce'), 'solvePow');
    eqHex(powHash(challenge, str(e, 'nonce')), e, 'hash');
    eq(leadingZeroBits(hex(e, 'hash')), num(e, 'leadingZeroBits'), 'leadingZeroBits');
    eq(verifyPow(challenge, str(e, 'nonce'), difficulty), true, 'verifyPow');
  },

  pow_verify: (i, e) => eq(verifyPow(str(i, 'challenge'), str(i, 'nonce'), num(i, 'difficulty')), e.valid, 'verifyPow'),

  leading_zero_bits: (i, e) => eq(leadingZeroBits(hex(i, 'hash')), num(e, 'bits'), 'leadingZeroBits'),

  file_size: (i, e) => eq(encryptedFileSize(num(i, 'plainSize')), num(e, 'encryptedSize'), 'encryptedFileSize'),

  file_stream: (i, e, ctx) => {
    const [caseId, fileId, key] = [str(i, 'caseId'), str(i, 'fileId'), hex(i, 'key')];
    const stream = fileStreamOf(i, ctx);
    const plain = patternPlaintext(i);
    eq(stream.length, encryptedFileSize(plain.length), 'stream length');
    eq(stream.length, num(e, 'streamLength'), 'stream length');
    eqHex(hash(stream), e, 'streamHash');
    eqHex(hash(plain), e, 'plaintextHash');
    eq(toHex(hash(decryptFile(caseId, fileId, key, stream))), str(e, 'plaintextHash'), 'decryptFile');
    // The streaming path too, in odd network-sized slices and without the length.
    const dec = new FileDecryptor(caseId, fileId, key);
    const parts: Uint8Array[] = [];
    for (let o = 0; o < stream.length; o += 4099) parts.push(...dec.push(stream.subarray(o, o + 4099)));
    dec.finish();
    eq(parts.reduce((n, p) => n + p.length, 0), plain.length, 'FileDecryptor output length');
  },

  file_stream_reject: (i, e, ctx) => {
    const [caseId, fileId, key] = [str(i, 'caseId'), str(i, 'fileId'), hex(i, 'key')];
    const stream = fileStreamOf(i, ctx);
    throwsCode(() => decryptFile(caseId, fileId, key, stream), str(e, 'error'), 'decryptFile');
    // Streaming without the length cannot always tell "cut short" from "damaged", but must refuse.
    const dec = new FileDecryptor(caseId, fileId, key);
    try {
      for (let o = 0; o < stream.length; o += 4099) dec.push(stream.subarray(o, o + 4099));
      dec.finish();
    } catch (err) {
      if (err instanceof CryptoError && (err.code === 'decrypt_failed' || err.code === 'truncated_stream')) return;
      throw err;
    }
    throw new Error('FileDecryptor accepted the stream');
  },

  file_meta: (i, e) => {
    const [caseKey, caseId, fileId] = [hex(i, 'caseKey'), str(i, 'caseId'), str(i, 'fileId')];
    const m = obj(i, 'meta');
    const meta = { name: str(m, 'name'), type: str(m, 'type'), size: num(m, 'size'), key: hex(m, 'key') };
    eq(JSON.stringify({ name: meta.name, type: meta.type, size: meta.size, key: toB64(meta.key) }), str(e, 'plaintext'), 'plaintext');
    eqHex(encryptFileMeta(caseKey, caseId, fileId, meta, hex(i, 'nonce')), e, 'ciphertext');
    const back = decryptFileMeta(caseKey, caseId, fileId, hex(e, 'ciphertext'));
    eq({ ...back, key: toHex(back.key) }, { ...meta, key: toHex(meta.key) }, 'decryptFileMeta');
  },

  file_meta_open: (i, e) => {
    const run = () => decryptFileMeta(hex(i, 'caseKey'), str(i, 'caseId'), str(i, 'fileId'), hex(i, 'ciphertext'));
    outcome(e, 'decryptFileMeta', () => eq(run().name, str(e, 'name'), 'decryptFileMeta'), run);
  },
};
