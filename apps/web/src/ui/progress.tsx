import { useEffect, useState } from 'preact/hooks';
import type { Progress, Stage } from '../crypto/protocol';
import { formatBytes, t, type MessageKey } from '../i18n';

const LABEL: Record<Stage, MessageKey> = {
  load: 'progress.load',
  argon2: 'progress.argon2',
  seal: 'progress.seal',
  pow: 'progress.pow',
  send: 'progress.send',
  open: 'progress.open',
  encrypt: 'progress.encrypt',
  upload: 'progress.upload',
  download: 'progress.download',
  decrypt: 'progress.decrypt',
};

/** Seconds since `active` became true, for steps that cannot measure themselves (Argon2id). */
function useElapsed(active: boolean): number {
  const [started] = useState(() => Date.now());
  const [now, setNow] = useState(started);
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, [active]);
  return (now - started) / 1000;
}

/**
 * The proof of work is a search with a known average length (total = expected tries): a bar of
 * the expected work and the time left at the rate seen so far, never a raw count of tries.
 */
function PowDetail({ progress }: { progress: Progress }) {
  const elapsed = useElapsed(true);
  const done = progress.done ?? 0;
  const total = progress.total ?? 0;
  if (!total) return null;
  const rate = elapsed > 0.3 && done > 0 ? done / elapsed : 0;
  const left = rate ? Math.max(1, Math.ceil((total - done) / rate)) : null;
  return (
    <>
      <progress value={Math.min(done, total)} max={total} aria-label={t('progress.pow')} />
      <span>{done >= total ? t('progress.powLonger') : left === null ? t('progress.powEstimating') : t('progress.powLeft', { s: left })}</span>
    </>
  );
}

function Detail({ progress }: { progress: Progress }) {
  const elapsed = useElapsed(progress.done === undefined);
  if (progress.stage === 'pow') return <PowDetail progress={progress} />;
  if (progress.done !== undefined && progress.total) {
    return (
      <>
        <progress value={progress.done} max={progress.total} aria-label={t(LABEL[progress.stage])} />
        <span>{t('progress.bytes', { done: formatBytes(progress.done), total: formatBytes(progress.total) })}</span>
      </>
    );
  }
  return <span>{t('progress.elapsed', { s: elapsed.toFixed(1) })}</span>;
}

/**
 * The steps of a long operation: done ones ticked, the current one with its measure
 * (tries, bytes, or elapsed time), later ones waiting. Cancel where the work can stop.
 */
export function ProgressSteps({
  stages,
  current,
  onCancel,
  labels = {},
}: {
  stages: Stage[];
  current: Progress | null;
  onCancel?: () => void;
  /** Wording for this screen where the reporter's default does not fit (e.g. staff sign-in). */
  labels?: Partial<Record<Stage, MessageKey>>;
}) {
  const label = (stage: Stage) => t(labels[stage] ?? LABEL[stage]);
  const index = current ? stages.indexOf(current.stage) : -1;
  const cancellable = current && (current.stage === 'pow' || current.stage === 'upload' || current.stage === 'encrypt' || current.stage === 'download');
  return (
    <div class="progress-panel">
      {/* Announces each new step once; the ticking measures stay out of the live region. */}
      <p class="visually-hidden" role="status">
        {current ? label(current.stage) : ''}
      </p>
      <ol class="progress-steps">
        {stages.map((stage, i) => (
          <li key={stage} class={i < index ? 'done' : i === index ? 'active' : 'waiting'} aria-current={i === index ? 'step' : undefined}>
            <span class="progress-mark" aria-hidden="true">
              {i < index ? '✓' : i === index ? '…' : '·'}
            </span>
            <span class="progress-label">
              {label(stage)}
              {i < index && <span class="visually-hidden"> ({t('progress.doneWord')})</span>}
            </span>
            {i === index && current && (
              <span class="progress-detail">
                <Detail key={stage} progress={current} />
              </span>
            )}
          </li>
        ))}
      </ol>
      {cancellable && onCancel && (
        <button type="button" class="secondary" onClick={onCancel}>
          {t('action.cancel')}
        </button>
      )}
    </div>
  );
}

/**
 * What the worker is doing, with the seconds it has taken so far: Argon2id (64 MiB) cannot report
 * its own progress, so the elapsed time shows the page has not frozen. The label is announced once.
 */
export function BusyNote({ label }: { label: string }) {
  const elapsed = useElapsed(true);
  return (
    <div class="progress-panel">
      <p role="status">{label}</p>
      <p class="muted" aria-hidden="true">
        {t('progress.elapsed', { s: elapsed.toFixed(1) })}
      </p>
    </div>
  );
}
