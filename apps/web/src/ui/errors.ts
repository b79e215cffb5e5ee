import { CryptoCallError } from '../crypto/worker-client';
import type { MessageKey } from '../i18n';
import { t } from '../i18n';

const KEY_OF_CODE: Record<string, MessageKey> = {
  cancelled: 'error.cancelled',
  network: 'error.network',
  rejected: 'error.rejected',
  not_found: 'error.notFound',
  too_large: 'error.tooLarge',
  unauthenticated: 'error.unauthenticated',
  unavailable: 'error.unavailable',
  bad_receipt: 'receipt.typo.check',
  decrypt_failed: 'error.decrypt',
  truncated: 'error.truncated',
  not_ready: 'error.notReady',
  internal: 'error.internal',
};

/**
 * Failures the API names with a `reason`: said in the reader's language, with no English server
 * text after them (the sentence says all there is to say).
 */
const KEY_OF_REASON: Record<string, MessageKey> = {
  sign_in_failed: 'error.signInFailed',
  totp_reused: 'error.totpReused',
};

/** A translated sentence for any failure, plus the server's own words when it gave some. */
export function describeError(e: unknown): { message: string; detail: string | null; code: string } {
  if (e instanceof CryptoCallError) {
    const byReason = e.error.reason ? KEY_OF_REASON[e.error.reason] : undefined;
    if (byReason) return { message: t(byReason), detail: null, code: e.error.code };
    const key = KEY_OF_CODE[e.error.code] ?? 'error.internal';
    return { message: t(key), detail: e.error.detail ?? null, code: e.error.code };
  }
  return { message: t('error.internal'), detail: e instanceof Error ? e.message : null, code: 'internal' };
}
