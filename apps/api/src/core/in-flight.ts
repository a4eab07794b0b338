/**
 * Work shared by every caller while it runs: a caller who asks for a key whose work is under way gets that work's
 * promise (its value or its failure) instead of starting it again; once it has settled, the next caller starts it
 * afresh. Used by the metrics (one read of each source per scrape burst) and the comparison (one aggregation per
 * filter for all its concurrent readers).
 */
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  get(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.running.get(key);
    if (running) return running;
    const started = work().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }
}
