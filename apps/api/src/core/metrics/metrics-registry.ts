import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * This process's Prometheus registry, with prom-client's default process metrics (CPU, memory, event-loop lag,
 * GC, handles; under their standard names, so the usual Node.js dashboards work). Never prom-client's global
 * registry: the integration tests run an API and a worker in one process, each with its own metrics.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The text exposition format Prometheus scrapes. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric as text; collectors that read PostgreSQL or Redis do so now, each within its deadline. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
