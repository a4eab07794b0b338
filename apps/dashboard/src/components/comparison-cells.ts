import type { Arm, Indicator } from '../api/types';
import { DASH, formatNumber, formatValue, formatWithInterval } from '../format';

/*
 * How the comparison's figures read in the evaluator's table and cards (pure: the table, the cards and their
 * tests share them).
 */

/** The practice-clustered intervals of DOMAIN.md 7a on a comparison entry (null for WAIT_DAYS and ENROLLED). */
export type ClusteredIntervals = NonNullable<Indicator['clustered']>;

/** An entry's clustered intervals, or null where it has none (WAIT_DAYS, ENROLLED). */
export function clusteredOf(indicator: Indicator): ClusteredIntervals | null {
  return indicator.clustered ?? null;
}

/** The anchor of an indicator's row, which the key-result cards link to. */
export function rowId(code: string): string {
  return `indicator-${code}`;
}

/** An interval as "low – high", or a dash when there is none. */
export function formatInterval(low: number | null, high: number | null, unit: string, difference = false): string {
  if (low === null || high === null) return DASH;
  return `${formatValue(low, unit, difference)} – ${formatValue(high, unit, difference)}`;
}

/** A design effect with 2 decimals, e.g. 1.8349 -> "1,83". */
export function formatDesignEffect(value: number | null): string {
  return formatNumber(value, 2);
}

/** An arm's value with its interval; WAIT_DAYS (a median) with its 90th percentile instead. */
export function armValueText(indicator: Indicator, arm: Arm): string {
  const a = indicator.arms[arm];
  if (indicator.code === 'WAIT_DAYS' && a.p90 !== undefined && a.p90 !== null) return `${formatValue(a.value, indicator.unit)} (P90 ${a.p90})`;
  return formatWithInterval(a.value, a.ciLow, a.ciHigh, indicator.unit);
}
