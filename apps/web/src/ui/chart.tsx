import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n';

export type ChartProps = {
  title: string;
  kind: 'bar' | 'line';
  labels: string[];
  series: { label: string; values: (number | null)[] }[];
  /** How a value reads in the data table (e.g. "fewer than 5" for a suppressed count); default: the number, or "—". */
  format?: (value: number | null, seriesIndex: number, labelIndex: number) => string;
};

/**
 * A chart drawn by Chart.js on a canvas (a picture for sighted readers, named by its title) and the
 * same figures as a table with row and column headers, for screen readers, keyboards and copying.
 * Chart.js is loaded on first use.
 */
export function Chart(props: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const key = JSON.stringify([props.kind, props.labels, props.series]);
  useEffect(() => {
    let cancelled = false;
    let drawn: { destroy: () => void } | null = null;
    void import('./chart-engine').then(({ draw }) => {
      if (cancelled || !canvas.current) return;
      drawn = draw(canvas.current, { kind: props.kind, labels: props.labels, series: props.series, rtl: document.documentElement.dir === 'rtl' });
    });
    return () => {
      cancelled = true;
      drawn?.destroy();
    };
  }, [key]);
  const show = (v: number | null, s: number, i: number) => (props.format ? props.format(v, s, i) : v === null ? '—' : String(v));
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div class="chart-canvas">
        <canvas ref={canvas} role="img" aria-label={t('monitoring.chartAlt', { title: props.title })} />
      </div>
      <details class="chart-data">
        <summary>{t('monitoring.showTable', { title: props.title })}</summary>
        <div class="table-wrap">
          <table>
            <caption>{props.title}</caption>
            <thead>
              <tr>
                <td />
                {props.series.map((s) => (
                  <th key={s.label} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.labels.map((label, i) => (
                <tr key={`${i}-${label}`}>
                  <th scope="row" dir="auto">
                    {label}
                  </th>
                  {props.series.map((s, j) => (
                    <td key={s.label}>{show(s.values[i] ?? null, j, i)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
