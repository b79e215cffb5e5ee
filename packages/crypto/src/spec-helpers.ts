/** Test-only helpers shared by the *.spec.ts files of this package (not part of the build). */
import { CryptoError } from './errors';

/** The CryptoError that `fn` throws; any other error is rethrown, and no error fails the test. */
export function failure(fn: () => unknown): CryptoError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CryptoError) return e;
    throw e;
  }
  throw new Error('expected a CryptoError');
}

/** The code of the CryptoError that `fn` throws, or 'no error' when it returns. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof CryptoError) return e.code;
    throw e;
  }
  return 'no error';
}
