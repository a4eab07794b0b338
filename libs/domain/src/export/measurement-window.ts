import { daysBetween } from '../dates/calendar-date';
import type { IsoDate } from '../model';
import { MEASUREMENT_MILESTONES, MEASUREMENT_WINDOWS, type MeasurementMilestone } from '../indicators/definitions';

/** The window label of a measurement in the analysis export: one of the milestones, or NONE. */
export const MEASUREMENT_WINDOW_LABELS = [...MEASUREMENT_MILESTONES, 'NONE'] as const;
export type MeasurementWindowLabel = (typeof MEASUREMENT_WINDOW_LABELS)[number];

/**
 * The measurement window a date falls in, by the closed windows of DOMAIN.md 6 (MEASUREMENT_WINDOWS: baseline
 * [intake - 30, intake + 14], 3 months [+70, +112], 12 months [+320, +410]); they do not overlap, so a date is in
 * at most one. NONE outside all three: such a measurement is kept but counts in no indicator. Unit: label.
 * Twin of apps/api/src/modules/analysis-export/analysis-export.repository.ts: measurementWindowSql.
 */
export function measurementWindowOf(intakeDate: IsoDate, date: IsoDate): MeasurementWindowLabel {
  const day = daysBetween(intakeDate, date);
  const found = MEASUREMENT_MILESTONES.find((m: MeasurementMilestone) => day >= MEASUREMENT_WINDOWS[m].from && day <= MEASUREMENT_WINDOWS[m].to);
  return found ?? 'NONE';
}
