import cluster from 'node:cluster';
import { AggregatorRegistry, Registry } from 'prom-client';

const REQUEST = 'copd:cluster-metrics-request';
const REPLY = 'copd:cluster-metrics-reply';

/** How long a copy waits for the primary's sum of every copy's metrics (prom-client's own limit is 5 s). */
export const CLUSTER_METRICS_TIMEOUT_MS = 6000;

interface Request {
  type: typeof REQUEST;
  id: number;
}
interface Reply {
  type: typeof REPLY;
  id: number;
  text?: string;
  error?: string;
}

/**
 * With API_PROCESSES above 1 (apps/api/src/cluster.ts), node:cluster hands each scrape of GET /metrics to one of the
 * copies. Its own figures alone would make the counters jump between copies (Prometheus would read every jump down as
 * a restart), so the copy asks the primary, which gathers every copy's registry and adds them up (prom-client's
 * AggregatorRegistry: histograms and counters summed, the shared-state gauges by their `aggregator`, max).
 * Call this once in the primary, before the copies are forked.
 */
export function answerClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Partial<Request> | undefined) => {
    if (message?.type !== REQUEST || typeof message.id !== 'number') return;
    const id = message.id;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: REPLY, id, text } satisfies Reply),
      (error: Error) => worker.send({ type: REPLY, id, error: error.message } satisfies Reply),
    );
  });
}

/** Whether this process is a copy forked by cluster.ts (and so must answer for all of them). */
export function isClusterCopy(): boolean {
  return cluster.isWorker && typeof process.send === 'function';
}

/** In a copy: offers its registry to the primary's aggregation and asks the primary for the sum of every copy. */
export class ClusterMetricsClient {
  private next = 0;
  private readonly pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();

  constructor(registry: Registry) {
    // Constructing an AggregatorRegistry in a cluster worker installs prom-client's answer to the primary's requests.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([registry]);
    process.on('message', (message: Partial<Reply> | undefined) => {
      if (message?.type !== REPLY || typeof message.id !== 'number') return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiting) return;
      if (typeof message.text === 'string') waiting.resolve(message.text);
      else waiting.reject(new Error(message.error ?? 'no metrics from the primary'));
    });
  }

  metrics(timeoutMs = CLUSTER_METRICS_TIMEOUT_MS): Promise<string> {
    const id = this.next++;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no metrics from the primary within ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = { resolve: (text: string) => (clearTimeout(timer), resolve(text)), reject: (error: Error) => (clearTimeout(timer), reject(error)) };
      this.pending.set(id, settle);
      process.send!({ type: REQUEST, id } satisfies Request);
    });
  }
}
