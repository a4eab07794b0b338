import type { ComparisonDto } from '../indicators/dto/comparison.dto';
import type { SnapshotChangesDto, SnapshotDto, SnapshotVerificationDto } from '../snapshots/dto/snapshot.dto';
import type { SnapshotCompletenessRow, SnapshotExperimentRow } from './report.repository';
import type { ReportLanguage } from './report-words';

/** Everything the monitoring report shows, read from one snapshot (and, for the changes, the one before it). */
export interface ReportModel {
  language: ReportLanguage;
  experiment: SnapshotExperimentRow;
  snapshot: SnapshotDto;
  comparison: ComparisonDto;
  /** Per practice, lowest baseline completeness first (the live completeness insight's order). */
  completeness: SnapshotCompletenessRow[];
  /** The snapshot taken just before this one, with what changed from it to this one; null for the first. */
  previous: { snapshot: SnapshotDto; changes: SnapshotChangesDto } | null;
  verification: SnapshotVerificationDto;
}
