import { addMonthsClamped } from '../dates/calendar-date';
import type { IsoDate } from '../model';

/** A care quarter spans three calendar months from the intake (DOMAIN.md 5). */
export const CARE_QUARTER_MONTHS = 3;

export interface CareQuarterPeriod {
  /** 1 for the quarter of the intake. */
  index: number;
  start: IsoDate;
  endExclusive: IsoDate;
}

/**
 * Care quarter k = [intake + 3(k-1) months, intake + 3k months), month-end clamped, existing while its start is on or
 * before the end date (if any) and the analysis date. Unit: rolling 3-month periods per patient. Source: DOMAIN.md 5.
 * Twin of apps/api/src/modules/indicators/facts.repository.ts: the quarter bounds qs and qe of
 * FactsRepository.rebuild, step 2; and of care_quarter_of for an initial session load into an empty table, which
 * derives each session's quarter from these periods itself (SessionBulkLoadRepository.loadInitial; checked against
 * the trigger in apps/api/test/session-bulk-load.int-spec.ts).
 */
export function careQuarters(
  intakeDate: IsoDate,
  endDate: IsoDate | null | undefined,
  analysisDate: IsoDate,
): CareQuarterPeriod[] {
  const quarters: CareQuarterPeriod[] = [];
  // Patients with an intake after the analysis date are outside the population: the loop yields nothing.
  for (let index = 1; ; index++) {
    const start = index === 1 ? intakeDate : addMonthsClamped(intakeDate, CARE_QUARTER_MONTHS * (index - 1));
    if (start > analysisDate || (endDate != null && start > endDate)) return quarters;
    quarters.push({ index, start, endExclusive: addMonthsClamped(intakeDate, CARE_QUARTER_MONTHS * index) });
  }
}

/**
 * The care quarter k a day falls in: intake + 3(k-1) months <= day < intake + 3k months, months added to the
 * intake itself and clamped to the month's last day; null before the intake. Unit: quarter index (1 = the
 * intake's quarter). Source: DOMAIN.md 5.
 * Twin of the SQL function care_quarter_of(intake, day) of migration 1764300000000-session-pricing-keys.ts (as
 * 1765400000000-care-quarter-date-part.ts last defined it), which the therapy_sessions_derive trigger and the bulk
 * session load use to store every session's care quarter (the migrations cannot be edited to name this twin;
 * apps/api/test/definition-parity.int-spec.ts checks the two agree).
 */
export function careQuarterOf(intakeDate: IsoDate, day: IsoDate): number | null {
  if (day < intakeDate) return null;
  // Start from the whole months between the two dates, then step to the quarter whose range holds the day.
  const months =
    (Number(day.slice(0, 4)) - Number(intakeDate.slice(0, 4))) * 12 +
    Number(day.slice(5, 7)) -
    Number(intakeDate.slice(5, 7));
  let k = Math.max(1, Math.floor(months / CARE_QUARTER_MONTHS) + 1);
  while (k > 1 && addMonthsClamped(intakeDate, CARE_QUARTER_MONTHS * (k - 1)) > day) k--;
  while (addMonthsClamped(intakeDate, CARE_QUARTER_MONTHS * k) <= day) k++;
  return k;
}
