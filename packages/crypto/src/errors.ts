/** Why an operation failed; stable strings so callers can branch on them. */
export type CryptoErrorCode = 'decrypt_failed' | 'bad_length' | 'bad_encoding' | 'truncated_stream' | 'not_ready';

/**
 * The only error type this package throws on purpose. Messages are meant to be
 * shown to people, so they say what failed but never include key material.
 */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
  }
}

export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code);
}
