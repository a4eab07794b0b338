import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { HttpMetrics } from './http-metrics';
import { JobMetrics } from './job-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRepository } from './metrics.repository';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsRegistry } from './metrics-registry';
import { StateMetrics } from './state-metrics';
import { WorkerMetricsServer } from './worker-metrics-server';

/**
 * Prometheus metrics of the API: GET /metrics (METRICS_TOKEN), the HTTP latency histogram (its middleware is the
 * first of create-app.ts), the shared state read at scrape time and the default process metrics.
 */
@Module({
  controllers: [MetricsController],
  providers: [MetricsRegistry, MetricsRepository, StateMetrics, HttpMetrics, MetricsTokenGuard],
  exports: [HttpMetrics],
})
export class MetricsModule {}

/**
 * Prometheus metrics of the worker: its recompute jobs, the shared state read at scrape time and the default process
 * metrics, served by a small HTTP server of its own on METRICS_PORT (unset: none).
 */
@Module({
  imports: [DiscoveryModule],
  providers: [MetricsRegistry, MetricsRepository, StateMetrics, JobMetrics, WorkerMetricsServer],
  exports: [WorkerMetricsServer],
})
export class WorkerMetricsModule {}
