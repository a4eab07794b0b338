import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ClusterMetricsClient, isClusterCopy } from './cluster-metrics';

/**
 * This process's Prometheus registry, with prom-client's default process metrics (CPU, memory, event-loop lag,
 * GC, handles; under their standard names, so the usual Node.js dashboards work). Never prom-client's global
 * registry: the integration tests run an API and a worker in one process, each with its own metrics.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  /** Set in a copy of the clustered API (API_PROCESSES above 1): a scrape answers for every copy (cluster-metrics.ts). */
  private readonly cluster?: ClusterMetricsClient;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    if (isClusterCopy()) this.cluster = new ClusterMetricsClient(this.registry);
  }

  /** The text exposition format Prometheus scrapes. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Every metric as text (in a clustered API, the sum of every copy's); collectors that read PostgreSQL or Redis do
   * so now, each within its deadline.
   */
  metrics(): Promise<string> {
    return this.cluster ? this.cluster.metrics() : this.registry.metrics();
  }
}
