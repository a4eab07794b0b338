import { INDICATORS } from '@copd/domain';
import type { Comparison, Indicator } from '../api/types';

/** Quality and access: the catalogue's groups other than cost and volume (DOMAIN.md 6 headings). */
const QUALITY_ACCESS = new Set<string>(INDICATORS.filter((i) => i.group !== 'COST').map((i) => i.code));

/** Whether the (unclustered) 95% CI of the difference lies wholly on one side of 0. */
export function excludesZero(indicator: Indicator): boolean {
  const { ciLow, ciHigh } = indicator.difference;
  return ciLow !== null && ciHigh !== null && (ciLow > 0 || ciHigh < 0);
}

/** The quality and access results whose difference CI excludes 0, in catalogue order. */
export function significantQualityAccess(comparison: Comparison): Indicator[] {
  return comparison.indicators.filter((i) => QUALITY_ACCESS.has(i.code) && excludesZero(i));
}
