import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Breakdown, Cell, IterationReport } from '../crypto/protocol';
import { cryptoWorker } from '../crypto/worker-client';
import { t, type MessageKey } from '../i18n';
import { pick } from '../survey/texts';
import { Chart } from '../ui/chart';
import { ErrorBox } from '../ui/error-box';
import { TextArea } from '../ui/field';
import { saveBlob } from '../ui/save-blob';

const BREAKDOWNS: Breakdown[] = ['all', 'officials', 'private_sector'];
const groupName = (b: Breakdown) => t(b === 'all' ? 'surveys.group.all' : (`survey.group.${b}` as MessageKey));
const factorName = (f: string) => t(`surveys.factor.${f}` as MessageKey);

/** What a cell shows: "<5" when suppressed, else the figure. */
function shown(c: Cell | undefined, threshold: number, pick: (c: Cell) => number | null): string {
  if (!c || c.n === 0) return '–';
  if (c.suppressed) return `<${threshold}`;
  const v = pick(c);
  return v === null ? '–' : String(v);
}

/**
 * One iteration's results, computed in the crypto worker from the decrypted responses: per factor
 * and per question, by group, with small cells suppressed, and the change from the previous iteration.
 */
export function SurveyResults({ iterationId, heading, onBack }: { iterationId: string; heading: Ref<HTMLHeadingElement>; onBack: () => void }) {
  const [data, setData] = useState<{ report: IterationReport; csv: string } | null>(null);
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [error, setError] = useState<unknown>(null);
  const [reason, setReason] = useState('');
  const [rawError, setRawError] = useState<unknown>(null);
  useEffect(() => {
    // Leaving the results (Back, or another iteration) stops the worker decrypting the old one.
    const stop = new AbortController();
    cryptoWorker()
      .call('surveyResults', { iterationId }, { onProgress: (p) => setProgress({ done: p.done ?? 0, total: p.total ?? 0 }), signal: stop.signal })
      .then(setData, (e: unknown) => {
        if (!stop.signal.aborted) setError(e);
      });
    return () => stop.abort();
  }, [iterationId]);
  if (!data) {
    return (
      <section>
        <h1 ref={heading} tabIndex={-1}>{t('surveys.showResults')}</h1>
        {!error && <p role="status">{t('surveys.decrypting', { n: progress.done, total: progress.total })}</p>}
        <ErrorBox error={error} />
        <button type="button" class="secondary" onClick={onBack}>{t('surveys.back')}</button>
      </section>
    );
  }
  const { report } = data;
  const r = report.results;
  const th = r.threshold;
  return (
    <section class="survey-results">
      <h1 ref={heading} tabIndex={-1}>{t('surveys.results', { n: report.iteration.number })}</h1>
      <p>{t('surveys.total', { n: r.groups.all, officials: r.groups.officials, private: r.groups['private_sector'], malformed: r.malformed, undecryptable: report.undecryptable })}</p>
      <p class="muted">{t('surveys.suppressed', { n: th })}</p>
      <div class="actions no-print">
        <button type="button" class="primary" onClick={() => saveBlob(new Blob([data.csv], { type: 'text/csv;charset=utf-8' }), `survey-iteration-${report.iteration.number}.csv`)}>
          {t('surveys.exportCsv')}
        </button>
        <button type="button" class="secondary" onClick={() => print()}>{t('surveys.printSummary')}</button>
        <button type="button" class="secondary" onClick={onBack}>{t('surveys.back')}</button>
      </div>

      <h2>{t('surveys.byFactor')}</h2>
      <Chart
        title={t('surveys.byFactor')}
        kind="bar"
        labels={r.factors.map((f) => factorName(f.factor))}
        series={BREAKDOWNS.map((b) => ({ label: groupName(b), values: r.factors.map((f) => (f.cells[b]?.suppressed ? null : (f.cells[b]?.favourable ?? null))) }))}
      />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{t('surveys.byFactor')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.col.factor')}</th>
              <th scope="col">{t('surveys.col.group')}</th>
              <th scope="col">{t('surveys.col.n')}</th>
              <th scope="col">{t('surveys.col.mean')}</th>
              <th scope="col">{t('surveys.col.favourable')}</th>
            </tr>
          </thead>
          <tbody>
            {r.factors.flatMap((f) =>
              BREAKDOWNS.map((b) => (
                <tr key={`${f.factor}-${b}`}>
                  <th scope="row">{factorName(f.factor)}</th>
                  <td>{groupName(b)}</td>
                  <td>{shown(f.cells[b], th, (c) => c.n)}</td>
                  <td>{shown(f.cells[b], th, (c) => c.mean)}</td>
                  <td>{shown(f.cells[b], th, (c) => c.favourable)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>

      <h2>{report.previous ? t('surveys.comparison', { n: report.previous.iteration.number }) : t('surveys.noPrevious')}</h2>
      {report.previous && (
        <>
          <Chart
            title={t('surveys.comparison', { n: report.previous.iteration.number })}
            kind="bar"
            labels={[...new Set(report.changes.map((c) => c.factor))].map(factorName)}
            series={[
              { label: t('surveys.col.previous'), values: [...new Set(report.changes.map((c) => c.factor))].map((f) => report.changes.find((c) => c.factor === f && c.breakdown === 'all')?.previous ?? null) },
              { label: t('surveys.col.current'), values: [...new Set(report.changes.map((c) => c.factor))].map((f) => report.changes.find((c) => c.factor === f && c.breakdown === 'all')?.current ?? null) },
            ]}
          />
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">{t('surveys.comparison', { n: report.previous.iteration.number })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('surveys.col.factor')}</th>
                  <th scope="col">{t('surveys.col.group')}</th>
                  <th scope="col">{t('surveys.col.previous')}</th>
                  <th scope="col">{t('surveys.col.current')}</th>
                  <th scope="col">{t('surveys.col.change')}</th>
                  <th scope="col">{t('surveys.col.significance')}</th>
                </tr>
              </thead>
              <tbody>
                {report.changes.map((c) => (
                  <tr key={`${c.factor}-${c.breakdown}`}>
                    <th scope="row">{factorName(c.factor)}</th>
                    <td>{groupName(c.breakdown)}</td>
                    <td>{c.previous ?? `<${th}`}</td>
                    <td>{c.current ?? `<${th}`}</td>
                    <td>{c.change === null ? '–' : `${c.change > 0 ? '+' : ''}${c.change}`}</td>
                    <td>{c.significant === null ? '–' : t(c.significant ? 'surveys.significant' : 'surveys.notSignificant')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h2>{t('surveys.byQuestion')}</h2>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{t('surveys.byQuestion')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.col.question')}</th>
              <th scope="col">{t('surveys.col.factor')}</th>
              <th scope="col">{t('surveys.col.group')}</th>
              <th scope="col">{t('surveys.col.n')}</th>
              <th scope="col">{t('surveys.col.mean')}</th>
              <th scope="col">{t('surveys.col.favourable')}</th>
              <th scope="col">{t('surveys.col.distribution')}</th>
            </tr>
          </thead>
          <tbody>
            {r.questions.flatMap((q) =>
              BREAKDOWNS.map((b) => {
                const c = q.cells[b];
                return (
                  <tr key={`${q.id}-${b}`}>
                    <th scope="row" dir="auto">{pick(q.text)}</th>
                    <td>{factorName(q.factor)}</td>
                    <td>{groupName(b)}</td>
                    <td>{shown(c, th, (x) => x.n)}</td>
                    <td>{shown(c, th, (x) => x.mean)}</td>
                    <td>{shown(c, th, (x) => x.favourable)}</td>
                    <td dir="ltr">{c && !c.suppressed && c.distribution ? Object.entries(c.distribution).map(([k, v]) => `${k}: ${v}`).join(', ') : '–'}</td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      </div>

      <section class="no-print" aria-labelledby="raw-export-title">
        <h2 id="raw-export-title">{t('surveys.rawHeading')}</h2>
        <ErrorBox error={rawError} />
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            setRawError(null);
            try {
              const file = await cryptoWorker().call('surveyRawExport', { iterationId, reason });
              saveBlob(file.blob, file.name);
            } catch (err) {
              setRawError(err);
            }
          }}
        >
          <TextArea id="raw-reason" label={t('surveys.rawReason')} hint={t('surveys.rawHint')} value={reason} onValue={setReason} rows={2} required />
          <button type="submit" class="secondary" disabled={reason.trim().length < 10}>
            {t('surveys.rawDownload')}
          </button>
        </form>
      </section>
    </section>
  );
}
