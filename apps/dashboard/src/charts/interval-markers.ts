import type { Chart, ChartType, Plugin, Scale } from 'chart.js';

/** A vertical (or horizontal, on a vertical value axis) reference line: zero, the MCID, a median. */
export interface ReferenceLine {
  /** Position in the value axis' units; on a category axis, a fractional category index. */
  value: number;
  label?: string;
  colour?: string;
  dash?: number[];
}

/**
 * Short marks across each category's band at a value of its own (e.g. ±MDD of every indicator's difference):
 * values[dataIndex], drawn on a horizontal chart (indexAxis 'y').
 */
export interface RowMarks {
  values: (number | null)[];
  colour: string;
  dash?: number[];
}

export interface IntervalMarkerOptions {
  /** Point estimates drawn on top of floating CI bars: estimates[datasetIndex][dataIndex]. */
  estimates?: (number | null)[][];
  lines?: ReferenceLine[];
  rowMarks?: RowMarks[];
  /** The axis the lines are positions on. */
  axis?: 'x' | 'y';
}

declare module 'chart.js' {
  interface PluginOptionsByType<TType extends ChartType> {
    intervalMarkers?: IntervalMarkerOptions & { _type?: TType };
  }
}

const LABEL_FONT = '12px system-ui, sans-serif';
/** Height of one row of line labels above the plot area; a chart leaves `labelPadding(n)` for n labels. */
export const LABEL_ROW = 14;

/** Top padding a chart needs for `labels` line labels in the worst case (each on its own row). */
export function labelPadding(labels: number): number {
  return labels * LABEL_ROW + 6;
}

/** A label centred on its line, or anchored to the line's side when centring would cut it at the canvas edge. */
function labelSpan(p: number, width: number, canvasWidth: number): { left: number; right: number; align: CanvasTextAlign } {
  if (p - width / 2 < 0) return { left: p, right: p + width, align: 'left' };
  if (p + width / 2 > canvasWidth) return { left: p - width, right: p, align: 'right' };
  return { left: p - width / 2, right: p + width / 2, align: 'center' };
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
    for (const marks of options.rowMarks ?? []) {
      const x = chart.scales.x;
      const y = chart.scales.y;
      if (!x || !y || !horizontal) break;
      const band = Math.abs(y.getPixelForValue(1) - y.getPixelForValue(0)) || 20;
      ctx.strokeStyle = marks.colour;
      ctx.lineWidth = 2;
      ctx.setLineDash(marks.dash ?? []);
      marks.values.forEach((value, index) => {
        if (value === null || value === undefined) return;
        const p = x.getPixelForValue(value);
        if (p < chartArea.left - 0.5 || p > chartArea.right + 0.5) return;
        const centre = y.getPixelForValue(index);
        ctx.beginPath();
        ctx.moveTo(p, centre - band * 0.3);
        ctx.lineTo(p, centre + band * 0.3);
        ctx.stroke();
      });
      ctx.setLineDash([]);
    }
    const axis = options.axis ?? 'x';
    const scale = chart.scales[axis];
    // Labels of vertical lines sit above the plot area in rows: each goes to the lowest row where it overlaps no
    // label already placed (a median next to a median, a P90 next to a P90), so no two labels cover each other.
    const rows: { left: number; right: number }[][] = [];
    ctx.font = LABEL_FONT;
    for (const line of options.lines ?? []) {
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
      if (!line.label) continue;
      ctx.fillStyle = line.colour ?? '#1b1b1b';
      if (axis === 'y') {
        ctx.textAlign = 'left';
        ctx.fillText(line.label, chartArea.left + 4, p - 4);
        continue;
      }
      const { left, right, align } = labelSpan(p, ctx.measureText(line.label).width, chart.width);
      let row = rows.findIndex((placed) => placed.every((o) => right + 6 <= o.left || left - 6 >= o.right));
      if (row === -1) row = rows.push([]) - 1;
      rows[row].push({ left, right });
      ctx.textAlign = align;
      ctx.fillText(line.label, p, chartArea.top - 5 - row * LABEL_ROW);
    }
    ctx.restore();
  },
};
