import type { Intake } from '@sauti/client';
import { useEffect, useState } from 'preact/hooks';

export type IntakeState = { intake: Intake | null; error: boolean; reload: () => void };

/** GET /api/v1/intake: public data (channels, categories, recipients' names and public keys). */
export function useIntake(): IntakeState {
  const [intake, setIntake] = useState<Intake | null>(null);
  const [error, setError] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(false);
    fetch('/api/v1/intake')
      .then(async (r) => {
        if (!r.ok) throw new Error(String(r.status));
        const body = (await r.json()) as Intake;
        if (live) setIntake(body);
      })
      .catch(() => live && setError(true));
    return () => {
      live = false;
    };
  }, [attempt]);
  return { intake, error, reload: () => setAttempt((a) => a + 1) };
}
