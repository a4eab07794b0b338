/**
 * Outcome of an idempotent keyed write (DOMAIN.md 4: an item sent again with the same key replaces the earlier one,
 * sent unchanged it changes nothing). Controllers answer 201 when created, 200 otherwise.
 */
export interface WriteResult<T> {
  created: boolean;
  item: T;
}
