import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { IndicatorsModule } from '../indicators/indicators.module';
import { SnapshotRepository } from './snapshot.repository';
import { SnapshotsController } from './snapshots.controller';
import { SnapshotsService } from './snapshots.service';

/** Frozen snapshots of an experiment (issue 13). */
@Module({
  imports: [ExperimentsModule, IndicatorsModule],
  controllers: [SnapshotsController],
  providers: [SnapshotRepository, SnapshotsService],
  exports: [SnapshotsService],
})
export class SnapshotsModule {}
