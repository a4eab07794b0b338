import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { ComparisonRepository } from './comparison.repository';
import { FactsRepository } from './facts.repository';
import { IndicatorRunsRepository } from './indicator-runs.repository';
import { IndicatorsController } from './indicators.controller';
import { IndicatorsService } from './indicators.service';
import { RecomputeService } from './recompute.service';

/** Indicators: read side (comparison, status, patient facts) and the recompute unit of work. */
@Module({
  imports: [ExperimentsModule],
  controllers: [IndicatorsController],
  providers: [ComparisonRepository, FactsRepository, IndicatorRunsRepository, IndicatorsService, RecomputeService],
  exports: [IndicatorsService, RecomputeService, IndicatorRunsRepository],
})
export class IndicatorsModule {}
