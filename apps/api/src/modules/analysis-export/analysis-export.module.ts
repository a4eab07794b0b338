import { Module } from '@nestjs/common';
import { ExperimentsModule } from '../experiments/experiments.module';
import { AnalysisExportController } from './analysis-export.controller';
import { AnalysisExportRepository } from './analysis-export.repository';
import { AnalysisExportService } from './analysis-export.service';

/** The analysis-ready export (issue 13, item 3): CSV files and codebook in a zip, of now or of a snapshot. */
@Module({
  imports: [ExperimentsModule],
  controllers: [AnalysisExportController],
  providers: [AnalysisExportRepository, AnalysisExportService],
  exports: [AnalysisExportService],
})
export class AnalysisExportModule {}
