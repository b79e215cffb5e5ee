import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

export type ChartProps = {
  title: string;
  kind: 'bar' | 'line';
  labels: string[];
  series: { label: string; values: (number | null)[] }[];
};

// Distinguishable in print and for common colour-vision deficiencies (Okabe–Ito).
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];

/**
 * A Chart.js 4 chart (canvas, hidden from screen readers) with the same figures as an accessible
 * table below it. Chart.js styles the canvas through the CSSOM only, which the strict CSP allows.
 * A null value is a gap (e.g. a suppressed cell), shown as "–" in the table.
 */
export function ChartView({ title, kind, labels, series }: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const rtl = document.documentElement.dir === 'rtl';
    const chart = new Chart(canvas.current, {
      type: kind,
      data: {
        labels,
        datasets: series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: COLOURS[i % COLOURS.length], borderColor: COLOURS[i % COLOURS.length], spanGaps: false })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        locale: document.documentElement.lang || 'en',
        plugins: { legend: { rtl, position: 'bottom' }, tooltip: { rtl } },
        scales: { x: { reverse: rtl } },
      },
    });
    return () => chart.destroy();
  }, [kind, JSON.stringify(labels), JSON.stringify(series)]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div class="chart-canvas">
        <canvas ref={canvas} aria-hidden="true" />
      </div>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <td />
              {series.map((s) => (
                <th key={s.label} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, row) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {series.map((s) => (
                  <td key={s.label}>{s.values[row] ?? '–'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

export { ChartView as Chart };
