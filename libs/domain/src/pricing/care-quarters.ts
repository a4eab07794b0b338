import { addMonthsClamped } from '../dates/calendar-date';
import type { IsoDate } from '../model';

export interface CareQuarterPeriod {
  /** 1 for the quarter of the intake. */
  index: number;
  start: IsoDate;
  endExclusive: IsoDate;
}

/**
 * Care quarter k = [intake + 3(k-1) months, intake + 3k months), month-end clamped, existing while its start is on or
 * before the end date (if any) and the analysis date. Unit: rolling 3-month periods per patient. Source: DOMAIN.md 5.
 */
export function careQuarters(
  intakeDate: IsoDate,
  endDate: IsoDate | null | undefined,
  analysisDate: IsoDate,
): CareQuarterPeriod[] {
  const quarters: CareQuarterPeriod[] = [];
  // Patients with an intake after the analysis date are outside the population: the loop yields nothing.
  for (let index = 1; ; index++) {
    const start = index === 1 ? intakeDate : addMonthsClamped(intakeDate, 3 * (index - 1));
    if (start > analysisDate || (endDate != null && start > endDate)) return quarters;
    quarters.push({ index, start, endExclusive: addMonthsClamped(intakeDate, 3 * index) });
  }
}
