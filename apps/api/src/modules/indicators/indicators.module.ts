import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { ComparisonContextService } from './comparison-context.service';
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
  providers: [
    ComparisonContextService,
    ComparisonRepository,
    FactsRepository,
    IndicatorRunsRepository,
    IndicatorsService,
    RecomputeService,
  ],
  exports: [
    ComparisonContextService,
    ComparisonRepository,
    IndicatorsService,
    RecomputeService,
    IndicatorRunsRepository,
  ],
})
export class IndicatorsModule {}
