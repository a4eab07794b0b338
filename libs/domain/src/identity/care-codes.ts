/**
 * Codes of the parties (DOMAIN.md 1 and 3). Both are strings because leading zeros matter.
 */

/** AGB code of a practice: exactly 8 digits. */
export function isAgbCode(s: unknown): s is string {
  return typeof s === 'string' && /^\d{8}$/.test(s);
}

/** UZOVI code of an insurer: exactly 4 digits. */
export function isUzoviCode(s: unknown): s is string {
  return typeof s === 'string' && /^\d{4}$/.test(s);
}
