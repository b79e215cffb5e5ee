import type { Intake } from '@sauti/core';
import { useEffect, useState } from 'preact/hooks';
import { cryptoWorker } from '../crypto/worker-client';

export type IntakeState = { intake: Intake | null; error: boolean; reload: () => void };

/** The public intake data (channels, categories, recipients' names and public keys), fetched by the worker's client. */
export function useIntake(): IntakeState {
  const [intake, setIntake] = useState<Intake | null>(null);
  const [error, setError] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setError(false);
    cryptoWorker()
      .call('intake', null)
      .then((body) => live && setIntake(body))
      .catch(() => live && setError(true));
    return () => {
      live = false;
    };
  }, [attempt]);
  return { intake, error, reload: () => setAttempt((a) => a + 1) };
}
