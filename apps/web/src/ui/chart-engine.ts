// Chart.js 4 (ADR 0009), loaded only by screens that draw charts. Only the components used are
// registered, so the bundle carries nothing else. It draws on a canvas and sizes it through CSSOM
// (element.style), which the strict Content-Security-Policy allows; it injects no stylesheet.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Colour-blind-safe (Okabe–Ito), in the order series appear. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

export type ChartData = { kind: 'bar' | 'line'; labels: string[]; series: { label: string; values: (number | null)[] }[]; rtl: boolean };

export function draw(canvas: HTMLCanvasElement, data: ChartData): { destroy: () => void } {
  const chart = new Chart(canvas, {
    type: data.kind,
    data: {
      labels: data.labels,
      datasets: data.series.map((s, i) => ({
        label: s.label,
        data: s.values,
        backgroundColor: PALETTE[i % PALETTE.length],
        borderColor: PALETTE[i % PALETTE.length],
        spanGaps: false,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      locale: document.documentElement.lang || 'en',
      plugins: {
        legend: { display: data.series.length > 1, position: 'bottom', rtl: data.rtl, labels: { boxWidth: 10, font: { size: 11 } } },
        tooltip: { rtl: data.rtl },
      },
      // Several series of bars (outcomes by factor) stack, so each bar is the row's total.
      scales: {
        x: { reverse: data.rtl, stacked: data.kind === 'bar' && data.series.length > 1 },
        y: { beginAtZero: true, position: data.rtl ? 'right' : 'left', ticks: { precision: 0 }, stacked: data.kind === 'bar' && data.series.length > 1 },
      },
    },
  });
  return { destroy: () => chart.destroy() };
}
