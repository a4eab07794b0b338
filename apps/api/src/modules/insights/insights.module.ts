import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { IndicatorsModule } from '../indicators/indicators.module';
import { InsightsController } from './insights.controller';
import { InsightsRepository } from './insights.repository';
import { InsightsService } from './insights.service';

/** Read models of the dashboard (issue 5) over the materialised indicator facts; read-only. */
@Module({
  imports: [ExperimentsModule, IndicatorsModule],
  controllers: [InsightsController],
  providers: [InsightsRepository, InsightsService],
})
export class InsightsModule {}
