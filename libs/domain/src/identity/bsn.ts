/**
 * Dutch citizen service number (BSN). Only checked here: the API turns it into a keyed HMAC on entry and
 * drops it (DOMAIN.md 3), so a BSN never reaches the domain's records.
 */

/** Weights of the 11-proef for a BSN; the last digit counts negatively, unlike the bank-account variant. */
const BSN_WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2, -1] as const;

/**
 * Canonical 9-digit form, or null when the input cannot be a BSN. Spaces, dots and hyphens are dropped
 * (people copy "1234.56.782" from letters). An 8-digit number gets a leading zero: a BSN may start with 0
 * and spreadsheets drop it; the zero has weight 9, so the 11-proef is unaffected.
 */
export function normalizeBsn(s: string): string | null {
  if (typeof s !== 'string') return null;
  const digits = s.replace(/[\s.-]/g, '');
  if (!/^\d{8,9}$/.test(digits)) return null;
  return digits.padStart(9, '0');
}

/**
 * A BSN passes the 11-proef: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11, and it is not all zeros
 * (000000000 passes the arithmetic but is never issued). Accepts what normalizeBsn accepts.
 */
export function isValidBsn(s: string): boolean {
  const bsn = normalizeBsn(s);
  if (bsn === null || /^0+$/.test(bsn)) return false;
  const sum = BSN_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(bsn[i]), 0);
  return sum % 11 === 0;
}
