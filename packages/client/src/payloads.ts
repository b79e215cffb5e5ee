import { openIdentity, openReport } from '@sauti/crypto';
import { readIdentityBody, readReportBody, type OpenedIdentity, type OpenedReport } from '@sauti/core';

/**
 * Opening a payload = decrypting it, then checking it against docs/protocol.md §9. A payload that
 * cannot be decrypted is `null` (the caller shows "could not be decrypted"); one that decrypts but
 * does not follow §9 is shown as far as it can be, with `problem` set for the notice.
 */
export function openReportBody(caseKey: Uint8Array, caseId: string, report: Uint8Array): OpenedReport | null {
  let raw: unknown;
  try {
    raw = openReport(caseKey, caseId, report);
  } catch {
    return null;
  }
  const { value, problem } = readReportBody(raw);
  return { ...value, problem };
}

/** Decrypts and checks an identity; a failure to decrypt throws (the caller asked for this one item). */
export function openIdentityBody(identityKey: Uint8Array, caseId: string, ciphertext: Uint8Array): OpenedIdentity {
  const { value, problem } = readIdentityBody(openIdentity(identityKey, caseId, ciphertext));
  return { ...value, problem };
}

/** Runs a decryption whose failure is shown as "could not be decrypted" rather than failing the whole view. */
export function readable<T>(decrypt: () => T): T | null {
  try {
    return decrypt();
  } catch {
    return null;
  }
}
