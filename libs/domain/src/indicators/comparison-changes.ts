import type { Arm } from '../model';
import type { ComparisonResult, IndicatorResult } from './comparison-types';

/** One figure of the comparison that differs between two moments (two snapshots, or a snapshot and now). */
export interface FigureChange {
  code: IndicatorResult['code'];
  /** Which figure: `BUNDLE.n`, `FFS.value`, `BUNDLE.ciLow`, `difference.value`, `clustered.difference.ciHigh`, ... */
  figure: string;
  before: number | null;
  after: number | null;
  /** after - before; null when either is null. */
  change: number | null;
}

const ARMS: Arm[] = ['BUNDLE', 'FFS'];

/** Below this relative difference two figures are the same number (summation order, not data). */
export const FIGURE_CHANGE_TOLERANCE = 1e-9;

function figuresOf(indicator: IndicatorResult): [string, number | null][] {
  const figures: [string, number | null][] = [];
  for (const arm of ARMS) {
    const a = indicator.arms[arm];
    figures.push(
      [`${arm}.n`, a.n],
      [`${arm}.value`, a.value],
      [`${arm}.ciLow`, a.ciLow],
      [`${arm}.ciHigh`, a.ciHigh],
    );
  }
  const d = indicator.difference;
  figures.push(
    ['difference.value', d.value],
    ['difference.ciLow', d.ciLow],
    ['difference.ciHigh', d.ciHigh],
    ['difference.mdd', d.mdd],
  );
  const c = indicator.clustered;
  if (c)
    figures.push(
      ['clustered.difference.ciLow', c.difference.ciLow],
      ['clustered.difference.ciHigh', c.difference.ciHigh],
    );
  return figures;
}

function differs(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a !== b;
  return Math.abs(a - b) > FIGURE_CHANGE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * The figures of `after` that differ from `before`, per indicator in the catalogue's order: every arm's n,
 * value and interval, the difference with its interval and MDD, and the clustered difference interval.
 * Indicators present on one side only are compared against nulls.
 */
export function comparisonChanges(
  before: Pick<ComparisonResult, 'indicators'>,
  after: Pick<ComparisonResult, 'indicators'>,
): FigureChange[] {
  const changes: FigureChange[] = [];
  for (const indicator of after.indicators) {
    const previous = before.indicators.find((i) => i.code === indicator.code);
    const old = new Map(previous ? figuresOf(previous) : []);
    for (const [figure, value] of figuresOf(indicator)) {
      const was = old.get(figure) ?? null;
      if (!differs(was, value)) continue;
      changes.push({
        code: indicator.code,
        figure,
        before: was,
        after: value,
        change: was === null || value === null ? null : value - was,
      });
    }
  }
  return changes;
}
