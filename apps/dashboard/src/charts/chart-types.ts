import type { ChartConfiguration, ChartType } from 'chart.js';

/** One cell of a chart's table view: the text people read and the raw value the CSV carries. */
export interface Cell {
  text: string;
  value: string | number | null;
}

export interface TableData {
  head: string[];
  rows: Cell[][];
}

/** What every chart builder returns: the chart.js config and the same numbers as a table. */
export interface ChartSpec<T extends ChartType = ChartType> {
  config: ChartConfiguration<T>;
  table: TableData;
  /** One or two sentences that say what the chart shows, for its text alternative. */
  summary: string;
}

export type Translate = (key: string, options?: Record<string, unknown>) => string;

export function cell(text: string, value: string | number | null = text): Cell {
  return { text, value };
}

/** Arm colours (Rijkshuisstijl dark blue and violet), with enough contrast on white for text and lines. */
export const ARM_COLOURS: Record<string, string> = { BUNDLE: '#154273', FFS: '#a90061' };
export const GREY = '#6b6b6b';
