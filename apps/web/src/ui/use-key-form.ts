import { useState } from 'preact/hooks';
import type { Progress, WorkerError } from '../crypto/protocol';
import { CryptoCallError } from '../crypto/worker-client';

/** One submission of a form whose work derives or opens keys in the worker (seconds of Argon2id). */
export type KeyFormStep<T> = {
  /** Checks the fields and shows their problems; false stops before the worker is asked. */
  check: () => boolean;
  /** The stage shown at once, before the worker reports its own. */
  first: Progress;
  run: (onProgress: (p: Progress) => void) => Promise<T>;
  done: (result: T) => void;
  /** A refusal the form shows beside a field (wrong code, wrong password): true when it did. */
  refused?: (error: WorkerError) => boolean;
};

/**
 * The busy state, progress and error handling of the sign-in, activation, recovery, password-change
 * and authenticator-reset forms, written once: `submit(step)` is the form's onSubmit handler.
 */
export function useKeyForm() {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit =
    <T>(step: KeyFormStep<T>) =>
    async (e: Event) => {
      e.preventDefault();
      if (!step.check()) return;
      setError(null);
      setProgress(step.first);
      try {
        step.done(await step.run(setProgress));
      } catch (err) {
        if (!(err instanceof CryptoCallError && step.refused?.(err.error))) setError(err);
      } finally {
        setProgress(null);
      }
    };

  return { progress, busy: progress !== null, error, setError, submit };
}

/** Six digits, spaces allowed (authenticator apps show "123 456"). */
export const isTotpCode = (s: string): boolean => /^\d{6}$/.test(s.replace(/\s/g, ''));
