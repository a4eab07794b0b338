import type { Comparison } from '../api/types';

/**
 * True when the selection holds no patient in either arm: every indicator counts n = 0 for both arms (the cost
 * indicators count every patient of the arm, so a selection with any patient has n > 0 there). The page then
 * says so once instead of drawing empty axes and tables of dashes.
 */
export function isEmptySelection(comparison: Pick<Comparison, 'indicators'>): boolean {
  return comparison.indicators.every((i) => i.arms.BUNDLE.n === 0 && i.arms.FFS.n === 0);
}
