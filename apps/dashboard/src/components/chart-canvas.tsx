import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import { intervalMarkers } from '../charts/interval-markers';

/**
 * Marks the moment the first chart of a page has been drawn (performance mark 'first-chart'), so
 * time-to-first-chart can be measured in the browser from navigation start.
 */
const firstChartMark: Plugin = {
  id: 'firstChartMark',
  afterRender() {
    if (performance.getEntriesByName('first-chart').length === 0) performance.mark('first-chart');
  },
};

// Only what the dashboard draws is registered, so the bundle carries no unused controllers.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, ScatterController, CategoryScale, LinearScale, Tooltip, Legend, intervalMarkers, firstChartMark);
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.color = '#1b1b1b';

export interface ChartCanvasProps {
  config: ChartConfiguration;
  /** The text alternative: what the chart shows, in words. */
  label: string;
  height: number;
}

/** A chart.js chart on a canvas that screen readers announce as an image with the given description. */
export function ChartCanvas({ config, label, height }: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    const beforePrint = () => chart.resize();
    window.addEventListener('beforeprint', beforePrint);
    return () => {
      window.removeEventListener('beforeprint', beforePrint);
      chart.destroy();
    };
  }, [config]);
  return (
    <div className="chart-box" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={label} data-chart="true">
        {label}
      </canvas>
    </div>
  );
}
