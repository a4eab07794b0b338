import { chiSquareQuantile } from './distribution-quantiles';
import type { DifferenceEstimate } from './mean-intervals';
import { mdd, Z95 } from './statistics-constants';

export interface RateEstimate {
  count: number;
  personYears: number;
  /** count / personYears; null when personYears = 0. */
  value: number | null;
  /** Exact 95% Poisson interval on the count, divided by person-years; null when personYears = 0. */
  ciLow: number | null;
  ciHigh: number | null;
}

function checkRateInputs(count: number, personYears: number): void {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`event count must be a whole number >= 0, got ${count}`);
  if (!Number.isFinite(personYears) || personYears < 0) {
    throw new RangeError(`person-years must be finite and >= 0, got ${personYears}`);
  }
}

/** Exact (Garwood) Poisson interval: [chi2inv(0.025, 2c) / 2 (0 when c = 0), chi2inv(0.975, 2c + 2) / 2] / person-years.
 *  Unit: events per person-year. Source: DOMAIN.md 7; Garwood (1936) Biometrika 28:437-442; Ulm (1990) Am J Epidemiol 131:373-375. */
export function poissonRateInterval(count: number, personYears: number): RateEstimate {
  checkRateInputs(count, personYears);
  if (personYears === 0) return { count, personYears, value: null, ciLow: null, ciHigh: null };
  const lowerCount = count === 0 ? 0 : chiSquareQuantile(0.025, 2 * count) / 2;
  const upperCount = chiSquareQuantile(0.975, 2 * count + 2) / 2;
  return {
    count,
    personYears,
    value: count / personYears,
    ciLow: lowerCount / personYears,
    ciHigh: upperCount / personYears,
  };
}

/** Rate difference c1/t1 - c2/t2, SE sqrt(c1/t1^2 + c2/t2^2), normal interval with z = 1.959964; null when t1 or t2 = 0.
 *  Unit: events per person-year. Source: DOMAIN.md 7; Rothman & Greenland, Modern Epidemiology (rate difference). */
export function rateDifference(c1: number, t1: number, c2: number, t2: number): DifferenceEstimate {
  checkRateInputs(c1, t1);
  checkRateInputs(c2, t2);
  if (t1 === 0 || t2 === 0) return { value: null, ciLow: null, ciHigh: null, se: null, mdd: null };
  const value = c1 / t1 - c2 / t2;
  const se = Math.sqrt(c1 / (t1 * t1) + c2 / (t2 * t2));
  return { value, ciLow: value - Z95 * se, ciHigh: value + Z95 * se, se, mdd: mdd(se) };
}
