import { Module } from '@nestjs/common';
import { CoreModule } from './core/core.module';
import { loggerModule } from './core/logging';
import { WorkerMetricsModule } from './core/metrics/metrics.module';
import { QueueModule } from './core/queue/queue.module';
import { FEATURE_MODULES } from './modules';
import { IndicatorsWorkerModule } from './modules/indicators/indicators-worker.module';

/** The worker loads the same feature modules as the API, plus the processors and the outbox relay. */
@Module({ imports: [loggerModule(), CoreModule, QueueModule, ...FEATURE_MODULES, IndicatorsWorkerModule, WorkerMetricsModule] })
export class WorkerModule {}
