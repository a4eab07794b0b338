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
import { useEffect, useRef, useState } from 'react';
import { intervalMarkers } from '../charts/interval-markers';
import { categoryLabelsAbove, forWidth, isHorizontal, PHONE_CHART_WIDTH, PHONE_LABEL_ROOM } from '../charts/phone-layout';

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
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, ScatterController, CategoryScale, LinearScale, Tooltip, Legend, intervalMarkers, categoryLabelsAbove, firstChartMark);
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.color = '#1b1b1b';

export interface ChartCanvasProps {
  config: ChartConfiguration;
  /** The text alternative: what the chart shows, in words. */
  label: string;
  height: number;
}

/**
 * A chart.js chart on a canvas that screen readers announce as an image with the given description. Narrower
 * than PHONE_CHART_WIDTH (a phone), a horizontal chart puts its category labels above the bars (phone-layout.ts)
 * and grows by a label line per category.
 */
export function ChartCanvas({ config, label, height }: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [phone, setPhone] = useState(() => typeof window !== 'undefined' && window.innerWidth < PHONE_CHART_WIDTH);
  useEffect(() => {
    if (!box.current || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => setPhone(entry.contentRect.width < PHONE_CHART_WIDTH));
    observer.observe(box.current);
    return () => observer.disconnect();
  }, []);
  const horizontalPhone = phone && isHorizontal(config);
  const categories = (config.data.labels ?? []).length;
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, phone ? forWidth(config, 0) : config);
    const beforePrint = () => chart.resize();
    window.addEventListener('beforeprint', beforePrint);
    return () => {
      window.removeEventListener('beforeprint', beforePrint);
      chart.destroy();
    };
  }, [config, phone]);
  return (
    <div className="chart-box" ref={box} style={{ height: horizontalPhone ? height + categories * PHONE_LABEL_ROOM : height }}>
      <canvas ref={canvas} role="img" aria-label={label} data-chart="true">
        {label}
      </canvas>
    </div>
  );
}
