/*
 * Value axes bounded to what the quantity allows (issue 16): a count, a number of sessions, days, metres or a
 * rate is never below 0; a share is 0–100 %; a CCQ score 0–6 and a CAT score 0–40 (DOMAIN.md section 3); a
 * difference of two shares lies within ±100 percentage points. chart.js pads a range and rounds it to ticks,
 * and a confidence interval computed with a normal approximation can run past the limit (a share of 2 % with
 * a wide interval gives −3 %): the axis stops at the limit, never at −20 patients or 120 %.
 */

/** The limits of a quantity in the displayed unit (shares already × 100); undefined = unbounded on that side. */
export interface AxisLimits {
  min?: number;
  max?: number;
}

/** chart.js scale options: a hard `min`/`max` where a limit is reached, otherwise suggested (rounded to ticks). */
export interface AxisRange {
  min?: number;
  max?: number;
  suggestedMin?: number;
  suggestedMax?: number;
}

const NON_NEGATIVE = new Set(['m', 'sessions', 'per patient-year', 'days', 'patients']);

/**
 * What a value of an indicator in `unit` can be; `difference`: the limits of a difference of two such values
 * (a difference of two non-negative quantities is unbounded below, except shares and scores, whose range bounds it).
 * Euros are unbounded: paid minus counterfactual is negative when the arm's own payment cost less.
 */
export function limitsOf(unit: string, difference = false): AxisLimits {
  let range: AxisLimits = {};
  if (unit.startsWith('fraction')) range = { min: 0, max: 100 };
  else if (unit === 'CCQ points') range = { min: 0, max: 6 };
  else if (unit === 'CAT points') range = { min: 0, max: 40 };
  else if (NON_NEGATIVE.has(unit)) range = { min: 0 };
  if (!difference) return range;
  // A difference of two values in [min, max] lies in [min - max, max - min]; with no maximum it is unbounded.
  if (range.min === undefined || range.max === undefined) return {};
  return { min: range.min - range.max, max: range.max - range.min };
}

/**
 * The axis range for `values` (nulls skipped) inside `limits`: 4 % padding each side, widened to ±1 around a
 * single value, and cut at a limit (then fixed there, so chart.js does not round past it).
 */
export function axisRange(values: (number | null | undefined)[], limits: AxisLimits = {}): AxisRange {
  const finite = values.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  if (finite.length === 0) return { ...(limits.min !== undefined ? { min: limits.min } : {}), ...(limits.max !== undefined ? { max: limits.max } : {}) };
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  if (low === high) {
    low -= 1;
    high += 1;
  }
  const pad = (high - low) * 0.04;
  low -= pad;
  high += pad;
  const range: AxisRange = {};
  if (limits.min !== undefined && low <= limits.min) range.min = limits.min;
  else range.suggestedMin = low;
  if (limits.max !== undefined && high >= limits.max) range.max = limits.max;
  else range.suggestedMax = high;
  return range;
}

/** A value clipped into the limits: the end of an interval bar drawn at the axis' end, not past it. */
export function clip(value: number, limits: AxisLimits): number {
  return Math.min(limits.max ?? Infinity, Math.max(limits.min ?? -Infinity, value));
}
