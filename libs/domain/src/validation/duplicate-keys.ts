import type { Violation } from '../model';
import { VIOLATION_CODES } from './violation-codes';
import { violation } from './violation';

/**
 * Indices (ascending) of every 2nd and later item whose key was already seen: two items with the same key in one
 * request or document are an error (DOMAIN.md 4). Keys are compared as strings, so build them unambiguously
 * (e.g. JSON.stringify([patient, date, kind])).
 */
export function findDuplicateKeys<T>(
  items: readonly T[],
  keyOf: (item: T, index: number) => string,
): number[] {
  const seen = new Set<string>();
  const duplicates: number[] = [];
  items.forEach((item, i) => {
    const key = keyOf(item, i);
    if (seen.has(key)) duplicates.push(i);
    else seen.add(key);
  });
  return duplicates;
}

/**
 * One BATCH.DUPLICATE_KEY violation per repeated item, with path `${collection}[i]` (e.g. 'sessions[3]') and the
 * index of the first occurrence, so an import can report every error with its path.
 */
export function duplicateKeyViolations<T>(
  items: readonly T[],
  keyOf: (item: T, index: number) => string,
  collection: string,
): Violation[] {
  const firstIndex = new Map<string, number>();
  const found: Violation[] = [];
  items.forEach((item, i) => {
    const key = keyOf(item, i);
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, i);
      return;
    }
    found.push(
      violation(VIOLATION_CODES.BATCH.DUPLICATE_KEY, `${collection}[${i}]`, { index: i, firstIndex: first, key }),
    );
  });
  return found;
}
