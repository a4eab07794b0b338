/**
 * A record opened by its address (/patienten/<id>, a link or a reload) asks for its data while the app still checks
 * the sign-in and loads the page's code, instead of after both. A plain fetch: when it fails (signed out, gone), the
 * answer is dropped and the page asks again through the client, which handles the problem as always.
 */
const RECORD_PATH = /^\/patienten\/([^/]+)$/;
const pending = new Map<string, Promise<unknown>>();

/** Starts the request when the address is a record's; true when it is. */
export function prefetchRecordFromAddress(pathname: string): boolean {
  const id = RECORD_PATH.exec(pathname)?.[1];
  if (!id) return false;
  const answer = fetch(`/api/v1/patient-records/${id}`, { credentials: 'same-origin', headers: { accept: 'application/json' } }).then((r) => (r.ok ? r.json() : undefined));
  pending.set(decodeURIComponent(id), answer.catch(() => undefined));
  return true;
}

/** The prefetched record of this id, once (a reload after a correction asks the API again). */
export function takePrefetchedRecord<T>(id: string): Promise<T | undefined> | undefined {
  const answer = pending.get(id);
  pending.delete(id);
  return answer as Promise<T | undefined> | undefined;
}
