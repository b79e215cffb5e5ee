import { useState } from 'preact/hooks';
import { cryptoWorker } from '../crypto/worker-client';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';

type Outcome = { passed: number; failed: { name: string; error: string }[] };

/** Runs SIP/1's published test vectors in this browser's crypto worker, for anyone who wants to check. */
export function SelfCheck() {
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setRunning(true);
    setError(null);
    setOutcome(null);
    try {
      setOutcome(await cryptoWorker().call('selfTest', null));
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };
  return (
    <section class="self-check" aria-labelledby="self-check-title">
      <h2 id="self-check-title">{t('selfCheck.title')}</h2>
      <p>{t('selfCheck.intro')}</p>
      <button type="button" class="secondary" onClick={run} disabled={running} aria-describedby="self-check-result">
        {running ? t('selfCheck.running') : t('selfCheck.run')}
      </button>
      <div id="self-check-result" role="status">
        {outcome && outcome.failed.length === 0 && <p class="notice success">{t('selfCheck.passed', { n: outcome.passed })}</p>}
        {outcome && outcome.failed.length > 0 && (
          <div class="notice error">
            <p>{t('selfCheck.failed', { failed: outcome.failed.length, total: outcome.passed + outcome.failed.length })}</p>
            <ul>
              {outcome.failed.slice(0, 10).map((f) => (
                <li key={f.name} dir="ltr">
                  {f.name}: {f.error}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      <ErrorBox error={error} />
    </section>
  );
}
