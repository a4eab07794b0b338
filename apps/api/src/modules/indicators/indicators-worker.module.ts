import { Module } from '@nestjs/common';
import { comparisonRefreshProcessorProvider } from './comparison-refresh.processor';
import { IndicatorRunsRepository } from './indicator-runs.repository';
import { IndicatorsModule } from './indicators.module';
import { indicatorsProcessorProvider } from './indicators.processor';
import { OutboxRelayService } from './outbox-relay.service';
import { RecomputeLockRepository } from './recompute-lock.repository';

/**
 * Loaded by the worker only: the job processors (recomputes, comparison refreshes) and the outbox relay must not run
 * inside the API. Part of the indicators feature, so it provides the runs repository the relay reads and the lock
 * repository the processor takes an experiment's recompute lock with (IndicatorsModule exports only services).
 */
@Module({
  imports: [IndicatorsModule],
  providers: [
    indicatorsProcessorProvider,
    comparisonRefreshProcessorProvider,
    OutboxRelayService,
    IndicatorRunsRepository,
    RecomputeLockRepository,
  ],
  exports: [OutboxRelayService],
})
export class IndicatorsWorkerModule {}
