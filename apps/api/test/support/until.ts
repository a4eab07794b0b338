/** Polls check every 20 ms until it holds; fails with `what` after timeoutMs. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads a comparison again until it is not stale (within 10 s) and returns that fresh document. */
export async function untilFresh<T extends { stale: boolean }>(read: () => Promise<T>, what: string): Promise<T> {
  let doc = await read();
  await until(async () => !doc.stale || !(doc = await read()).stale, 10_000, what);
  return doc;
}
