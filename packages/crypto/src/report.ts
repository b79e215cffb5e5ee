import { aeadEncrypt, aeadOpen, openSealed, seal } from './aead';
import { CryptoError } from './errors';
import { concatBytes, expectLength } from './encoding';
import { jsonBytes, parseJsonBytes } from './json';
import { SIZES, type KeyPair } from './primitives';
import { memzero, randomBuf } from './sodium';

export type Recipient = { id: string; publicKey: Uint8Array };
export type KeyWrap = { recipientId: string; sealedKey: Uint8Array };
export type SealedReport = {
  report: Uint8Array;
  caseKey: Uint8Array;
  keyWraps: KeyWrap[];
  reporterSealedKey: Uint8Array;
  identity: null | { ciphertext: Uint8Array; keyWraps: KeyWrap[]; reporterSealedKey: Uint8Array };
};

export const reportAd = (caseId: string): string => `sip1/report/${caseId}`;
export const identityAd = (caseId: string): string => `sip1/identity/${caseId}`;

function freshKey(fixed: Uint8Array | undefined, what: string): Uint8Array {
  if (!fixed) return randomBuf(SIZES.key);
  expectLength(fixed, SIZES.key, what);
  return fixed.slice(); // a copy, because it may be wiped below
}

/**
 * §4 in the reporter's browser. staffKey is sealed to the recipients and then
 * wiped: the reporter must not be able to read internal notes. `fixed` is for
 * test vectors only (sealed boxes stay random regardless).
 */
export function sealReport(input: {
  caseId: string;
  body: unknown;
  recipients: Recipient[];
  reporterPublicKey: Uint8Array;
  identity?: { body: unknown; custodians: Recipient[] } | null;
  fixed?: { caseKey?: Uint8Array; staffKey?: Uint8Array; identityKey?: Uint8Array; nonce?: Uint8Array; identityNonce?: Uint8Array };
}): SealedReport {
  const { caseId, fixed } = input;
  expectLength(input.reporterPublicKey, SIZES.publicKey, 'reporter public key');
  const caseKey = freshKey(fixed?.caseKey, 'case key');
  const staffKey = freshKey(fixed?.staffKey, 'staff key');
  const report = aeadEncrypt(caseKey, jsonBytes(input.body, 'report'), reportAd(caseId), fixed?.nonce);
  const both = concatBytes(caseKey, staffKey);
  const keyWraps = input.recipients.map((r) => ({ recipientId: r.id, sealedKey: seal(r.publicKey, both) }));
  memzero(both);
  memzero(staffKey);
  const reporterSealedKey = seal(input.reporterPublicKey, caseKey);

  let identity: SealedReport['identity'] = null;
  if (input.identity) {
    const identityKey = freshKey(fixed?.identityKey, 'identity key');
    identity = {
      ciphertext: aeadEncrypt(identityKey, jsonBytes(input.identity.body, 'identity'), identityAd(caseId), fixed?.identityNonce),
      keyWraps: input.identity.custodians.map((c) => ({ recipientId: c.id, sealedKey: seal(c.publicKey, identityKey) })),
      reporterSealedKey: seal(input.reporterPublicKey, identityKey),
    };
    memzero(identityKey);
  }
  return { report, caseKey, keyWraps, reporterSealedKey, identity };
}

/** A staff member's key wrap: caseKey ‖ staffKey. */
export function openKeyWrap(keyPair: KeyPair, sealedKey: Uint8Array): { caseKey: Uint8Array; staffKey: Uint8Array } {
  expectLength(sealedKey, SIZES.sealedCaseKey, 'case key wrap');
  const plain = openSealed(keyPair, sealedKey, 'case key wrap');
  if (plain.length !== 64) throw new CryptoError('decrypt_failed', 'case key wrap does not hold a case key and a staff key');
  return { caseKey: plain.slice(0, 32), staffKey: plain.slice(32) };
}

/** A single sealed 32-byte key: the reporter's caseKey or identityKey, or an identity grant. */
export function openReporterKey(keyPair: KeyPair, sealedKey: Uint8Array): Uint8Array {
  expectLength(sealedKey, SIZES.sealedKey, 'sealed key');
  const plain = openSealed(keyPair, sealedKey, 'sealed key');
  if (plain.length !== 32) throw new CryptoError('decrypt_failed', 'sealed key does not hold a 32-byte key');
  return plain;
}

export function openReport<T = unknown>(caseKey: Uint8Array, caseId: string, report: Uint8Array): T {
  const plain = aeadOpen(caseKey, report, reportAd(caseId), 'report could not be decrypted: wrong key, or it belongs to another case');
  return parseJsonBytes(plain, 'report') as T;
}

export function openIdentity<T = unknown>(identityKey: Uint8Array, caseId: string, ciphertext: Uint8Array): T {
  const plain = aeadOpen(
    identityKey,
    ciphertext,
    identityAd(caseId),
    "reporter's identity could not be decrypted: wrong key, or it belongs to another case",
  );
  return parseJsonBytes(plain, "reporter's identity") as T;
}

/** §5 granting a case: the same 64 bytes, sealed to the new member (112 bytes). */
export function grantCaseKeys(keys: { caseKey: Uint8Array; staffKey: Uint8Array }, recipientPublicKey: Uint8Array): Uint8Array {
  expectLength(keys.caseKey, SIZES.key, 'case key');
  expectLength(keys.staffKey, SIZES.key, 'staff key');
  const both = concatBytes(keys.caseKey, keys.staffKey);
  const sealed = seal(recipientPublicKey, both);
  memzero(both);
  return sealed;
}

/** §4 a custodian re-seals identityKey to an approved investigator (80 bytes). */
export function grantIdentityKey(identityKey: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  expectLength(identityKey, SIZES.key, 'identity key');
  return seal(recipientPublicKey, identityKey);
}
