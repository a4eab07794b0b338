import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { PatientsModule } from '../patients/patients.module';
import { ComparisonCellsRepository } from './comparison-cells.repository';
import { ComparisonContextService } from './comparison-context.service';
import { ComparisonRepository } from './comparison.repository';
import { FactsRepository } from './facts.repository';
import { IndicatorRunsRepository } from './indicator-runs.repository';
import { IndicatorsController } from './indicators.controller';
import { IndicatorsService } from './indicators.service';
import { RecomputeService } from './recompute.service';

/** Indicators: read side (comparison, status, patient facts) and the recompute unit of work. */
@Module({
  imports: [ExperimentsModule, PatientsModule],
  controllers: [IndicatorsController],
  providers: [
    ComparisonCellsRepository,
    ComparisonContextService,
    ComparisonRepository,
    FactsRepository,
    IndicatorRunsRepository,
    IndicatorsService,
    RecomputeService,
  ],
  // Services only: the comparison context (filters and freshness) the insights share, the read side, the unit of work.
  exports: [ComparisonContextService, IndicatorsService, RecomputeService],
})
export class IndicatorsModule {}
