import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { notFound } from '../../core/errors/app-error';
import { SnapshotsService } from '../snapshots/snapshots.service';
import { ReportQueryDto } from './dto/report-query.dto';
import { PdfPrinter } from './pdf-printer';
import { renderReportHtml } from './report-document';
import type { ReportModel } from './report-model';
import { ReportRepository, type SnapshotCompletenessRow } from './report.repository';
import { REPORT_WORDS, type ReportFormat, type ReportLanguage } from './report-words';

export interface RenderedReport {
  fileName: string;
  contentType: 'text/html; charset=utf-8' | 'application/pdf';
  body: Buffer;
  language: ReportLanguage;
  format: ReportFormat;
}

const FILE_STEM: Record<ReportLanguage, string> = { nl: 'monitoringsrapportage', en: 'monitoring-report' };

/**
 * The monitoring report of a frozen snapshot (issue 13 item 2), as HTML or PDF, Dutch or English. Everything in
 * it is read from the snapshot: its frozen comparison, its copies of the patient facts and practices, and its
 * comparison with the snapshot taken before it; nothing from the live tables. Evaluators only (every practice's
 * figures); each render is audited as report.render naming the snapshot.
 */
@Injectable()
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly snapshots: SnapshotsService,
    private readonly reports: ReportRepository,
    private readonly printer: PdfPrinter,
    private readonly audit: AuditService,
  ) {}

  async render(actor: Actor, id: string, query: ReportQueryDto): Promise<RenderedReport> {
    const language = query.lang ?? 'nl';
    const format = query.format ?? 'html';
    const model = await this.model(actor, id, language);
    // The one moment in the report that is not the snapshot's: its generation line.
    const html = renderReportHtml(model, new Date());
    const { snapshot, experiment } = model;
    const stem = `${FILE_STEM[language]}_${experiment.code}_${snapshot.analysisDate}_${snapshot.id.slice(0, 8)}`;
    const body =
      format === 'pdf'
        ? await this.printer.print(
            html,
            `${REPORT_WORDS[language].title} ${experiment.code} · ${snapshot.analysisDate} · ${snapshot.label}`,
          )
        : Buffer.from(html, 'utf8');
    await this.audit.record(actor, {
      action: 'report.render',
      resourceType: 'snapshot',
      resourceId: snapshot.id,
      detail: {
        experiment: experiment.code,
        analysisDate: snapshot.analysisDate,
        label: snapshot.label,
        inputDigest: snapshot.inputDigest,
        language,
        format,
      },
    });
    return {
      fileName: `${stem}.${format}`,
      contentType: format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8',
      body,
      language,
      format,
    };
  }

  /** What the report shows, from the snapshot alone (and the one before it for the changes). */
  async model(actor: Actor, id: string, language: ReportLanguage): Promise<ReportModel> {
    const detail = await this.snapshots.get(actor, id);
    const manager = this.dataSource.manager;
    const [experiment, completeness, previous, verification] = await Promise.all([
      this.reports.experiment(manager, id),
      this.reports.completeness(manager, id),
      this.snapshots.previous(actor, id),
      this.snapshots.verify(actor, id),
    ]);
    if (!experiment) throw notFound('Snapshot', id);
    return {
      language,
      experiment,
      snapshot: detail.snapshot,
      comparison: detail.comparison,
      completeness: lowestFirst(completeness),
      previous: previous ? { snapshot: previous, changes: await this.snapshots.changes(actor, previous.id, id) } : null,
      verification,
    };
  }
}

/** The live completeness insight's order: lowest baseline share first, no eligible patients last, then AGB. */
function lowestFirst(rows: SnapshotCompletenessRow[]): SnapshotCompletenessRow[] {
  const share = (x: number, n: number) => (n > 0 ? x / n : Number.POSITIVE_INFINITY);
  return [...rows].sort(
    (a, b) =>
      share(a.baselineComplete, a.baselineEligible) - share(b.baselineComplete, b.baselineEligible) ||
      a.agb.localeCompare(b.agb),
  );
}
