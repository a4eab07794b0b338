import type { Chart, ChartType, Plugin, Scale } from 'chart.js';

/** A vertical (or horizontal, on a vertical value axis) reference line: zero, the MCID, a median. */
export interface ReferenceLine {
  /** Position in the value axis' units; on a category axis, a fractional category index. */
  value: number;
  label?: string;
  colour?: string;
  dash?: number[];
}

export interface IntervalMarkerOptions {
  /** Point estimates drawn on top of floating CI bars: estimates[datasetIndex][dataIndex]. */
  estimates?: (number | null)[][];
  lines?: ReferenceLine[];
  /** The axis the lines are positions on. */
  axis?: 'x' | 'y';
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    intervalMarkers?: IntervalMarkerOptions & { _type?: TType };
  }
}

function pixelFor(scale: Scale, value: number): number {
  if (scale.type === 'category') {
    const p0 = scale.getPixelForValue(0);
    const p1 = scale.getPixelForValue(1);
    return p0 + value * (p1 - p0);
  }
  return scale.getPixelForValue(value);
}

/**
 * Draws what chart.js has no element for: the point estimate on a confidence-interval bar and labelled
 * reference lines. Kept tiny and dependency-free instead of an annotation plugin.
 */
export const intervalMarkers: Plugin = {
  id: 'intervalMarkers',
  afterDatasetsDraw(chart: Chart, _args: unknown, options: IntervalMarkerOptions) {
    const { ctx, chartArea } = chart;
    const horizontal = chart.options.indexAxis === 'y';
    ctx.save();
    (options.estimates ?? []).forEach((values, datasetIndex) => {
      const meta = chart.getDatasetMeta(datasetIndex);
      if (meta.hidden) return;
      const valueScale = chart.scales[horizontal ? 'x' : 'y'];
      meta.data.forEach((element, index) => {
        const value = values[index];
        if (value === null || value === undefined) return;
        const position = valueScale.getPixelForValue(value);
        const { x, y } = element.getProps(['x', 'y'], true) as { x: number; y: number };
        const colour = String((chart.data.datasets[datasetIndex] as { borderColor?: unknown }).borderColor ?? '#000');
        ctx.fillStyle = colour;
        ctx.strokeStyle = '#fff';
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        if (horizontal) ctx.rect(position - 4.5, y - 4.5, 9, 9);
        else ctx.rect(x - 4.5, position - 4.5, 9, 9);
        ctx.fill();
        ctx.stroke();
      });
    });
    const axis = options.axis ?? 'x';
    const scale = chart.scales[axis];
    for (const [index, line] of (options.lines ?? []).entries()) {
      if (!scale) break;
      const p = pixelFor(scale, line.value);
      const inside = axis === 'x' ? p >= chartArea.left - 0.5 && p <= chartArea.right + 0.5 : p >= chartArea.top - 0.5 && p <= chartArea.bottom + 0.5;
      if (!inside) continue;
      ctx.strokeStyle = line.colour ?? '#1b1b1b';
      ctx.lineWidth = 1.5;
      ctx.setLineDash(line.dash ?? []);
      ctx.beginPath();
      if (axis === 'x') {
        ctx.moveTo(p, chartArea.top);
        ctx.lineTo(p, chartArea.bottom);
      } else {
        ctx.moveTo(chartArea.left, p);
        ctx.lineTo(chartArea.right, p);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      if (line.label) {
        ctx.fillStyle = line.colour ?? '#1b1b1b';
        ctx.font = '12px system-ui, sans-serif';
        ctx.textAlign = axis === 'x' ? 'center' : 'left';
        // Alternate label heights so lines close together (a median next to a median) stay readable.
        if (axis === 'x') ctx.fillText(line.label, p, chartArea.top - 4 - (index % 2) * 14);
        else ctx.fillText(line.label, chartArea.left + 4, p - 4);
      }
    }
    ctx.restore();
  },
};
