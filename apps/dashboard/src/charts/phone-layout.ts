import type { Chart, ChartConfiguration, ChartType, Plugin } from 'chart.js';

/*
 * Charts on a phone (issue 16): a horizontal bar chart's category labels (indicator and practice names) take
 * half of a 390 px screen and are cut on the left. Below PHONE_CHART_WIDTH they move above their bars, over
 * the full width, and the bars get the room; value-axis ticks are never rotated.
 */
export const PHONE_CHART_WIDTH = 520;

/** Extra height per category on a phone, for the label line above the bars. */
export const PHONE_LABEL_ROOM = 28;

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    categoryLabelsAbove?: { enabled: boolean; _type?: TType };
  }
}

/** True for a chart whose categories run down the y axis (indexAxis 'y'). */
export function isHorizontal(config: ChartConfiguration): boolean {
  return (config.options as { indexAxis?: string } | undefined)?.indexAxis === 'y';
}

/** The config for a chart `width` px wide: on a phone a horizontal chart's labels go above its bars. */
export function forWidth(config: ChartConfiguration, width: number): ChartConfiguration {
  if (width >= PHONE_CHART_WIDTH || !isHorizontal(config) || config.type !== 'bar') return config;
  type Loose = Record<string, unknown>;
  const options = (config.options ?? {}) as Loose & { scales?: Loose; plugins?: Loose };
  const scales = options.scales ?? {};
  const y = (scales.y ?? {}) as Loose & { ticks?: Loose };
  return {
    ...config,
    data: {
      ...config.data,
      // Bars in the middle half of their band (the band grows by PHONE_LABEL_ROOM), so the label above has its own line.
      datasets: config.data.datasets.map((d) => ({ ...d, categoryPercentage: 0.5 })) as typeof config.data.datasets,
    },
    options: {
      ...options,
      scales: { ...scales, y: { ...y, ticks: { ...(y.ticks ?? {}), display: false } } },
      plugins: { ...(options.plugins ?? {}), categoryLabelsAbove: { enabled: true } },
    },
  } as ChartConfiguration;
}

/** Draws each category's label at the top of its band, left-aligned over the full plot width, cut with "…" if too long. */
export const categoryLabelsAbove: Plugin = {
  id: 'categoryLabelsAbove',
  afterDatasetsDraw(chart: Chart, _args: unknown, options: { enabled?: boolean }) {
    if (!options?.enabled) return;
    const y = chart.scales.y;
    const labels = (chart.data.labels ?? []) as unknown[];
    if (!y || labels.length === 0) return;
    const { ctx, chartArea } = chart;
    const band = labels.length > 1 ? Math.abs(y.getPixelForValue(1) - y.getPixelForValue(0)) : chartArea.bottom - chartArea.top;
    ctx.save();
    ctx.font = '600 12px system-ui, sans-serif';
    ctx.fillStyle = '#1b1b1b';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    const room = chartArea.right - chartArea.left - 4;
    labels.forEach((label, index) => {
      let text = Array.isArray(label) ? label.join(' ') : String(label);
      if (ctx.measureText(text).width > room) {
        while (text.length > 1 && ctx.measureText(`${text}…`).width > room) text = text.slice(0, -1);
        text = `${text}…`;
      }
      ctx.fillText(text, chartArea.left + 2, y.getPixelForValue(index) - band / 2 + 1);
    });
    ctx.restore();
  },
};
