import { useEffect, useState } from 'preact/hooks';
import { admin, type Outcome, type Problem } from './admin-api';

/**
 * The refusal, error and busy state of one admin form or row action, and the call that fills them:
 * `call(request, ok)` clears both, sends, runs `ok` with the answer when the server accepts it (true),
 * or keeps the refusal (its field issues go next to the fields) or the error (false).
 */
export function useAdminCall() {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const call = async <T>(request: () => Promise<Outcome<T>>, ok: (value: T) => void | Promise<void>): Promise<boolean> => {
    setProblem(null);
    setError(null);
    setBusy(true);
    try {
      const outcome = await request();
      if (!outcome.ok) {
        setProblem(outcome.problem);
        return false;
      }
      await ok(outcome.value);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  /** Forgets a refusal whose field issues no longer point at the right place. */
  const clear = () => {
    setProblem(null);
    setError(null);
  };

  return { problem, error, busy, call, clear };
}

/**
 * Two admin lists loaded together (a screen's rows and what its forms choose from), reloaded after
 * a change: `items` stays null until the first answer, `also` starts empty.
 */
export function useAdminLists<A, B>(itemsPath: string, alsoPath: string) {
  const [items, setItems] = useState<A[] | null>(null);
  const [also, setAlso] = useState<B[]>([]);
  const [error, setError] = useState<unknown>(null);

  const reload = async () => {
    try {
      const [a, b] = await Promise.all([admin<{ items: A[] }>('GET', itemsPath), admin<{ items: B[] }>('GET', alsoPath)]);
      if (a.ok) setItems(a.value.items);
      if (b.ok) setAlso(b.value.items);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => void reload(), []);

  return { items, setItems, also, error, reload };
}
