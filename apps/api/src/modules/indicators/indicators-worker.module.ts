import { Module } from '@nestjs/common';
import { IndicatorsModule } from './indicators.module';
import { IndicatorsProcessor } from './indicators.processor';
import { OutboxRelayService } from './outbox-relay.service';

/** Loaded by the worker only: the job processor and the outbox relay must not run inside the API. */
@Module({
  imports: [IndicatorsModule],
  providers: [IndicatorsProcessor, OutboxRelayService],
  exports: [OutboxRelayService],
})
export class IndicatorsWorkerModule {}
