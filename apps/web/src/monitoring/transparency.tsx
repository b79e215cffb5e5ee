import { useEffect, useState } from 'preact/hooks';
import type { TransparencyFigures } from '@sauti/core';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import './monitoring.css';

/**
 * "/transparency": a few aggregated, small-cell protected figures a reporter can look at before
 * trusting the channel. Off unless the deployment turns it on (TRANSPARENCY_PAGE).
 */
export function TransparencyPage() {
  const [figures, setFigures] = useState<TransparencyFigures | null | 'off'>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    cryptoWorker()
      .call('transparency', null)
      .then((a) => setFigures(a.status === 200 ? (a.body as TransparencyFigures) : 'off'))
      .catch(setError);
  }, []);
  const fmt = (v: number | null) => (v === null ? t('monitoring.notShown') : new Intl.NumberFormat(document.documentElement.lang || 'en', { style: 'percent', maximumFractionDigits: 0 }).format(v));
  return (
    <section class="monitoring" aria-labelledby="transparency-title">
      <h1 id="transparency-title">{t('monitoring.transparency.title')}</h1>
      <ErrorBox error={error} />
      {figures === 'off' && <p>{t('monitoring.transparency.off')}</p>}
      {figures && figures !== 'off' && (
        <>
          <p>{t('monitoring.transparency.intro', { year: String(figures.year), n: figures.threshold })}</p>
          <div class="tiles" role="list">
            <div role="listitem" class="tile">
              <p class="tile-label">{t('monitoring.transparency.received', { year: String(figures.year) })}</p>
              <p class="tile-value">
                {figures.received.value === null ? t('monitoring.fewerThan', { n: figures.threshold }) : new Intl.NumberFormat(document.documentElement.lang || 'en').format(figures.received.value)}
              </p>
            </div>
            <div role="listitem" class="tile">
              <p class="tile-label">{t('monitoring.tile.ackInTime')}</p>
              <p class="tile-value">{fmt(figures.acknowledgedInTimeShare)}</p>
            </div>
            <div role="listitem" class="tile">
              <p class="tile-label">{t('monitoring.tile.feedbackInTime')}</p>
              <p class="tile-value">{fmt(figures.feedbackInTimeShare)}</p>
            </div>
          </div>
          {figures.asOf && <p class="muted">{t('monitoring.asOf', { time: formatDate(figures.asOf, true) })}</p>}
        </>
      )}
    </section>
  );
}
