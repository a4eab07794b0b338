import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { IndicatorsModule } from '../indicators/indicators.module';
import { InsightsController } from './insights.controller';
import { CompletenessRepository } from './read-models/completeness.repository';
import { CostRepository } from './read-models/cost.repository';
import { PeersRepository } from './read-models/peers.repository';
import { WaitDaysRepository } from './read-models/wait-days.repository';
import { WorklistRepository } from './read-models/worklist.repository';
import { InsightsService } from './insights.service';
import { InsurerCostsService } from './insurer-costs.service';
import { InsurerCostsRepository } from './read-models/insurer-costs.repository';

/** Read models of the dashboard (issue 5) over the materialised indicator facts; read-only. */
@Module({
  imports: [ExperimentsModule, IndicatorsModule],
  controllers: [InsightsController],
  providers: [
    CostRepository,
    CompletenessRepository,
    WaitDaysRepository,
    PeersRepository,
    WorklistRepository,
    InsightsService,
    InsurerCostsRepository,
    InsurerCostsService,
  ],
})
export class InsightsModule {}
