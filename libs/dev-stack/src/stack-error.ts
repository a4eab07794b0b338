/**
 * A problem the person running `npm run demo`, `npm test`, `npm run stack` or the bench can fix, said in one
 * line that tells them what to do. The scripts print its message alone, without a stack trace.
 */
export class StackError extends Error {
  override name = 'StackError';
}

/** The one line a script prints for an error: a StackError's message, else the first line of any other error's. */
export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n').find((line) => line.trim()) ?? 'unknown error').trim();
}
