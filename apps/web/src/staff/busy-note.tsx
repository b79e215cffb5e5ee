import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';

/**
 * What the worker is doing, with the seconds it has taken so far: Argon2id (64 MiB) cannot report
 * its own progress, so the elapsed time shows the page has not frozen. The label is announced once.
 */
export function BusyNote({ label }: { label: string }) {
  const [started] = useState(() => Date.now());
  const [now, setNow] = useState(started);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, []);
  return (
    <div class="progress-panel">
      <p role="status">{label}</p>
      <p class="muted" aria-hidden="true">
        {t('progress.elapsed', { s: ((now - started) / 1000).toFixed(1) })}
      </p>
    </div>
  );
}
