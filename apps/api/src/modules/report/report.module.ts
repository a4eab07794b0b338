import { Module } from '@nestjs/common';
import { SnapshotsModule } from '../snapshots/snapshots.module';
import { PdfPrinter } from './pdf-printer';
import { ReportController } from './report.controller';
import { ReportRepository } from './report.repository';
import { ReportService } from './report.service';

/** The monitoring report of a frozen snapshot, as HTML and PDF (issue 13 item 2). */
@Module({
  imports: [SnapshotsModule],
  controllers: [ReportController],
  providers: [ReportRepository, ReportService, PdfPrinter],
  exports: [ReportService],
})
export class ReportModule {}
