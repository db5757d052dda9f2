// Hours booked and used per group as a bar chart (Chart.js, bundled; this file is its own lazily loaded chunk so
// the first page stays small). The table beside it holds the same figures for screen readers and copying.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface ChartRow {
  label: string;
  hoursBooked: number;
  hoursUsed: number;
}

export default function UsageChart({ rows, title, booked, used, locale }: { rows: ChartRow[]; title: string; booked: string; used: string; locale: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: rows.map((r) => r.label),
        datasets: [
          { label: booked, data: rows.map((r) => r.hoursBooked), backgroundColor: '#1f5fa8' },
          { label: used, data: rows.map((r) => r.hoursUsed), backgroundColor: '#2e8540' },
        ],
      },
      options: {
        indexAxis: 'y',
        locale,
        animation: false,
        maintainAspectRatio: false,
        responsive: true,
        plugins: { legend: { position: 'bottom' } },
      },
    });
    return () => chart.destroy();
  }, [rows, booked, used, locale]);
  return (
    <div className="chart" style={{ height: `${Math.max(160, rows.length * 48 + 80)}px` }}>
      <canvas ref={canvas} role="img" aria-label={title} />
    </div>
  );
}
