import type { Ref } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { BreakdownDimension, Indicator, ProtectedCount, StatisticsSummary, StatisticsTable } from '@sauti/core';
import { cryptoWorker } from '../crypto/worker-client';
import { formatDate, t, type MessageKey } from '../i18n';
import { Chart } from '../ui/chart';
import { ErrorBox } from '../ui/error-box';
import { SelectField } from '../ui/field';
import { saveBlob } from '../ui/save-blob';
import './monitoring.css';

type Filters = { from: string; to: string; channel: string; unitId: string; contextId: string };
type View = { id: string; dimension: BreakdownDimension; by?: 'category' | 'factor'; kind: 'bar' | 'line'; title: MessageKey };

/** Every chart of the dashboard; the unit chart only for people who see every unit. */
const VIEWS: View[] = [
  { id: 'time', dimension: 'time', kind: 'line', title: 'monitoring.view.time' },
  { id: 'channel', dimension: 'channel', kind: 'bar', title: 'monitoring.view.channel' },
  { id: 'category', dimension: 'category', kind: 'bar', title: 'monitoring.view.category' },
  { id: 'factor', dimension: 'factor', kind: 'bar', title: 'monitoring.view.factor' },
  { id: 'region', dimension: 'region', kind: 'bar', title: 'monitoring.view.region' },
  { id: 'unit', dimension: 'unit', kind: 'bar', title: 'monitoring.view.unit' },
  { id: 'context', dimension: 'context', kind: 'bar', title: 'monitoring.view.context' },
  { id: 'identity', dimension: 'identity', kind: 'bar', title: 'monitoring.view.identity' },
  { id: 'status', dimension: 'status', kind: 'bar', title: 'monitoring.view.status' },
  { id: 'age', dimension: 'age', kind: 'bar', title: 'monitoring.view.age' },
  { id: 'outcome', dimension: 'outcome', kind: 'bar', title: 'monitoring.view.outcome' },
  { id: 'outcomeFactor', dimension: 'outcome', by: 'factor', kind: 'bar', title: 'monitoring.view.outcomeFactor' },
  { id: 'reengagement', dimension: 'reengagement', kind: 'bar', title: 'monitoring.view.reengagement' },
];

const today = () => new Date().toISOString().slice(0, 10);
const yearAgo = () => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 11, 1)).toISOString().slice(0, 10);
};

/** Known keys read in the reader's language; keys the server added later (a new channel) show the server's label. */
const KEY_LABELS: Record<string, MessageKey> = {
  public: 'monitoring.channel.public', internal: 'monitoring.channel.internal',
  hotline: 'monitoring.channel.hotline', walk_in: 'monitoring.channel.walk_in', letter: 'monitoring.channel.letter',
  anonymous: 'monitoring.identity.anonymous', confidential: 'monitoring.identity.confidential',
  received: 'monitoring.status.received', acknowledged: 'monitoring.status.acknowledged', in_progress: 'monitoring.status.in_progress', closed: 'monitoring.status.closed',
  returned: 'monitoring.reengagement.returned', not_returned: 'monitoring.reengagement.not_returned',
  substantiated: 'monitoring.outcome.substantiated', partly_substantiated: 'monitoring.outcome.partly_substantiated', unsubstantiated: 'monitoring.outcome.unsubstantiated',
  referred_prosecution: 'monitoring.outcome.referred_prosecution', referred: 'monitoring.outcome.referred', not_actionable: 'monitoring.outcome.not_actionable', withdrawn: 'monitoring.outcome.withdrawn',
  leadership: 'monitoring.factor.leadership', regulatory_framework: 'monitoring.factor.regulatory_framework', transparency: 'monitoring.factor.transparency',
  automation: 'monitoring.factor.automation', reform_modernisation: 'monitoring.factor.reform_modernisation', audit_investigation: 'monitoring.factor.audit_investigation',
  code_of_conduct: 'monitoring.factor.code_of_conduct', human_resources: 'monitoring.factor.human_resources', morale_culture: 'monitoring.factor.morale_culture',
  private_sector: 'monitoring.factor.private_sector', none: 'monitoring.none',
  '0-7': 'monitoring.age.0-7', '8-30': 'monitoring.age.8-30', '31-90': 'monitoring.age.31-90', '91-180': 'monitoring.age.91-180', '181+': 'monitoring.age.181+',
};
const FREE_KEYS = new Set(['category', 'region', 'unit', 'context', 'time']);

function rowLabel(dimension: string, row: { key: string; label: string }): string {
  if (FREE_KEYS.has(dimension) && row.key !== 'none') return row.label;
  const key = KEY_LABELS[row.key];
  return key ? t(key) : row.label;
}

function countText(c: ProtectedCount, threshold: number): string {
  if (c.suppressed === 'small') return t('monitoring.fewerThan', { n: threshold });
  if (c.suppressed === 'complementary') return t('monitoring.withheld');
  return new Intl.NumberFormat(document.documentElement.lang || 'en').format(c.value ?? 0);
}

const percent = (v: number | null) => (v === null ? t('monitoring.notShown') : new Intl.NumberFormat(document.documentElement.lang || 'en', { style: 'percent', maximumFractionDigits: 0 }).format(v));
const days = (v: number | null) => (v === null ? t('monitoring.notShown') : t('monitoring.days', { n: v }));

function change(ind: Indicator, kind: 'percent' | 'days'): string | null {
  if (ind.value === null || ind.previous === null) return null;
  const diff = ind.value - ind.previous;
  const text = kind === 'percent' ? `${diff >= 0 ? '+' : ''}${Math.round(diff * 100)}` : `${diff >= 0 ? '+' : ''}${Math.round(diff * 10) / 10}`;
  return t(kind === 'percent' ? 'monitoring.changePoints' : 'monitoring.changeDays', { change: text });
}

/** A CSV of one protected table, suppressed cells as the dashboard shows them. */
function toCsv(title: string, table: StatisticsTable): string {
  const q = (s: string) => (/[",\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/^([=+\-@])/, "'$1").replace(/"/g, '""')}"` : s);
  const header = [t('monitoring.csv.row'), ...table.columns.map((c) => rowLabel('outcome', c))];
  const lines = [[title], header, ...table.rows.map((r, i) => [rowLabel(table.dimension === 'outcome' && table.by ? table.by : table.dimension, r), ...table.cells[i]!.map((c) => countText(c, table.threshold))])];
  lines.push([t('monitoring.total'), countText(table.total, table.threshold)]);
  lines.push([t('monitoring.csv.period', { from: table.period.from, to: table.period.to })]);
  return lines.map((l) => l.map(q).join(',')).join('\r\n') + '\r\n';
}

export function Dashboard({ heading }: { heading: Ref<HTMLHeadingElement> }) {
  const [draft, setDraft] = useState<Filters>({ from: yearAgo(), to: today(), channel: '', unitId: '', contextId: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [summary, setSummary] = useState<StatisticsSummary | null>(null);
  const [tables, setTables] = useState<Record<string, StatisticsTable>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [options, setOptions] = useState<{ channels: { value: string; label: string }[]; units: { value: string; label: string }[]; contexts: { value: string; label: string }[] }>({ channels: [], units: [], contexts: [] });

  useEffect(() => {
    let live = true;
    setProblem(null);
    setError(null);
    const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '')) as Record<string, string>;
    void (async () => {
      try {
        const s = await cryptoWorker().call('statistics', { view: 'summary', query });
        if (!live) return;
        if (s.status !== 200) {
          setProblem((s.body as { error?: string }).error ?? String(s.status));
          return;
        }
        const sum = s.body as StatisticsSummary;
        setSummary(sum);
        const next: Record<string, StatisticsTable> = {};
        for (const v of VIEWS) {
          if (v.dimension === 'unit' && sum.scope.unitId !== null) continue;
          const answer = await cryptoWorker().call('statistics', { view: 'breakdown', query: { ...query, dimension: v.dimension, ...(v.by ? { by: v.by } : {}) } });
          if (!live) return;
          if (answer.status === 200) next[v.id] = answer.body as StatisticsTable;
        }
        setTables(next);
        const opts = (id: string, dim: string) => (next[id]?.rows ?? []).filter((r) => r.key !== 'none').map((r) => ({ value: r.key, label: rowLabel(dim, r) }));
        setOptions((o) => ({
          channels: o.channels.length > 0 && filters.channel ? o.channels : opts('channel', 'channel'),
          units: o.units.length > 0 && filters.unitId ? o.units : opts('unit', 'unit'),
          contexts: o.contexts.length > 0 && filters.contextId ? o.contexts : opts('context', 'context'),
        }));
      } catch (e) {
        if (live) setError(e);
      }
    })();
    return () => {
      live = false;
    };
  }, [filters]);

  const apply = (e: Event) => {
    e.preventDefault();
    setFilters(draft);
  };
  const set = (k: keyof Filters) => (v: string) => setDraft({ ...draft, [k]: v });
  const th = summary?.threshold ?? 5;

  const tile = (label: MessageKey, value: string, note: string | null, sub?: string) => (
    <div class="tile" key={label}>
      <p class="tile-label">{t(label)}</p>
      <p class="tile-value">{value}</p>
      {sub && <p class="tile-sub">{sub}</p>}
      {note && <p class="tile-change">{note}</p>}
    </div>
  );

  return (
    <section class="monitoring" aria-labelledby="monitoring-title">
      <h1 id="monitoring-title" ref={heading} tabIndex={-1}>
        {t('monitoring.title')}
      </h1>
      <p class="muted">{t('monitoring.intro', { n: th })}</p>
      <form class="monitoring-filters no-print" onSubmit={apply} noValidate>
        <div class="field">
          <label for="stats-from">{t('monitoring.filter.from')}</label>
          <input id="stats-from" type="date" value={draft.from} max={today()} onInput={(e) => set('from')((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="stats-to">{t('monitoring.filter.to')}</label>
          <input id="stats-to" type="date" value={draft.to} max={today()} onInput={(e) => set('to')((e.target as HTMLInputElement).value)} />
        </div>
        <SelectField id="stats-channel" label={t('monitoring.filter.channel')} value={draft.channel} onValue={set('channel')} options={options.channels} placeholder={t('monitoring.filter.all')} />
        {summary?.scope.unitId === null && (
          <SelectField id="stats-unit" label={t('monitoring.filter.unit')} value={draft.unitId} onValue={set('unitId')} options={options.units} placeholder={t('monitoring.filter.all')} />
        )}
        <SelectField id="stats-context" label={t('monitoring.filter.context')} value={draft.contextId} onValue={set('contextId')} options={options.contexts} placeholder={t('monitoring.filter.all')} />
        <div class="filter-actions">
          <button type="submit">{t('monitoring.apply')}</button>
          <button type="button" class="secondary" onClick={() => window.print()}>
            {t('monitoring.print')}
          </button>
        </div>
      </form>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <ErrorBox error={error} />
      {summary && (
        <>
          <p class="print-only">{t('monitoring.printHeading', { from: summary.period.from, to: summary.period.to })}</p>
          <p class="muted">
            {t('monitoring.period', { from: formatDate(summary.period.from), to: formatDate(summary.period.to), prevFrom: formatDate(summary.previousPeriod.from), prevTo: formatDate(summary.previousPeriod.to) })}{' '}
            {summary.asOf && t('monitoring.asOf', { time: formatDate(summary.asOf, true) })}
          </p>
          <div class="tiles" role="list" aria-label={t('monitoring.tilesLabel')}>
            {[
              tile('monitoring.tile.received', countText(summary.received.value, th), summary.received.previous.value !== null ? t('monitoring.previous', { value: countText(summary.received.previous, th) }) : null),
              tile('monitoring.tile.ackInTime', percent(summary.acknowledgedInTimeShare.value), change(summary.acknowledgedInTimeShare, 'percent')),
              tile('monitoring.tile.feedbackInTime', percent(summary.feedbackInTimeShare.value), change(summary.feedbackInTimeShare, 'percent')),
              tile('monitoring.tile.anonymous', percent(summary.anonymousShare.value), change(summary.anonymousShare, 'percent')),
              tile('monitoring.tile.daysToAck', days(summary.daysToAcknowledge.median.value), change(summary.daysToAcknowledge.median, 'days'), t('monitoring.p90', { value: days(summary.daysToAcknowledge.p90.value) })),
              tile('monitoring.tile.daysToFeedback', days(summary.daysToFeedback.median.value), change(summary.daysToFeedback.median, 'days'), t('monitoring.p90', { value: days(summary.daysToFeedback.p90.value) })),
              tile('monitoring.tile.daysToClose', days(summary.daysToClose.median.value), change(summary.daysToClose.median, 'days'), t('monitoring.p90', { value: days(summary.daysToClose.p90.value) })),
              tile('monitoring.tile.reengaged', percent(summary.reengagedShare.value), change(summary.reengagedShare, 'percent')),
              tile('monitoring.tile.backlog', countText(summary.openBacklog, th), null),
            ].map((x) => (
              <div role="listitem" key={x.key}>
                {x}
              </div>
            ))}
          </div>
          <div class="charts">
            {VIEWS.filter((v) => tables[v.id]).map((v) => {
              const table = tables[v.id]!;
              const dim = v.by ?? v.dimension;
              const title = t(v.title);
              return (
                <div class={`chart-panel chart-${v.id}`} key={v.id}>
                  <Chart
                    title={title}
                    kind={v.kind}
                    labels={table.rows.map((r) => rowLabel(dim, r))}
                    series={table.columns.map((c, j) => ({ label: v.by ? rowLabel('outcome', c) : t('monitoring.cases'), values: table.cells.map((row) => row[j]!.value) }))}
                    format={(_v, s, i) => countText(table.cells[i]![s]!, table.threshold)}
                  />
                  <p class="chart-foot">
                    {t('monitoring.total')}: {countText(table.total, table.threshold)}
                    {table.granularity && ` · ${t(`monitoring.granularity.${table.granularity}` as MessageKey)}`}
                    {table.overlapping && ` · ${t('monitoring.overlapping')}`}
                  </p>
                  <button type="button" class="secondary small no-print" onClick={() => saveBlob(new Blob([toCsv(title, table)], { type: 'text/csv;charset=utf-8' }), `sauti-${v.id}-${table.period.from}-${table.period.to}.csv`)}>
                    {t('monitoring.csv', { title })}
                  </button>
                </div>
              );
            })}
          </div>
        </>
      )}
    </section>
  );
}
