import { addDays, calendarQuarterOf } from '../dates/calendar-date';
import type { Arm, Cents, ContractTerms, IsoDate, SessionKind, SessionRecord } from '../model';
import { contractInForce } from '../validation/contract-rules';
import { careQuarters } from './care-quarters';

export interface PricedQuarter {
  index: number;
  start: IsoDate;
  endExclusive: IsoDate;
  /** Calendar quarter of the start ('2025-Q1'): time series place everything of a care quarter there. */
  calendarQuarter: string;
  sessionCount: number;
  /** Q1, or a later quarter with at least one session. */
  isCareQuarter: boolean;
  bundleCents: Cents;
  ffsCents: Cents;
  /** Under the patient's arm / the other arm. */
  paidCents: Cents;
  counterfactualCents: Cents;
  /** Its last day (endExclusive - 1) is on or before the analysis date: only ended quarters are judged. */
  ended: boolean;
  /** What the quarter's amounts are made of: bundleCents and ffsCents are the sums of these. */
  items: PricedItem[];
}

/**
 * One priced item of a care quarter under both arms: the intake (both), the quarter tariff (bundle only) or a
 * session (fee-for-service only; priced by its kind). Unpriced items (no contract in force) are listed at 0.
 */
export interface PricedItem {
  item: 'INTAKE' | 'QUARTER' | 'SESSION';
  date: IsoDate;
  sessionKind: SessionKind | null;
  bundleCents: Cents;
  ffsCents: Cents;
  priced: boolean;
}

export interface UnpricedItem {
  /** INTAKE prices at 0 under both arms, QUARTER under BUNDLE, SESSION under FFS. */
  item: 'INTAKE' | 'QUARTER' | 'SESSION';
  date: IsoDate;
  quarterIndex: number;
}

export interface EnrolmentPrice {
  quarters: PricedQuarter[];
  totals: {
    bundleCents: Cents;
    ffsCents: Cents;
    paidCents: Cents;
    counterfactualCents: Cents;
    careQuarterCount: number;
    sessionCount: number;
  };
  /** Items with no contract in force on their pricing date, priced 0: flag them rather than mislead. */
  unpriced: UnpricedItem[];
}

export interface PricedEnrolment {
  intakeDate: IsoDate;
  endDate?: IsoDate | null;
  /** The arm at intake (armAtIntake), kept for the whole enrolment. */
  arm: Arm;
}

function ffsSessionCents(contract: ContractTerms, kind: SessionKind): Cents {
  switch (kind) {
    case 'INDIVIDUAL':
    case 'REMOTE':
      return contract.ffs.session;
    case 'HOME':
      return contract.ffs.session + contract.ffs.homeSupplement;
    case 'GROUP':
      return contract.ffs.groupSession;
  }
}

/**
 * Price of one enrolment under both arms as of the analysis date, per care quarter and in total (bundle: intake +
 * quarter tariff per quarter with sessions; FFS: intake + per session). Unit: integer euro cents. Source: DOMAIN.md 5.
 * Twin of apps/api/src/modules/indicators/facts.repository.ts: FactsRepository.rebuild, steps 1 to 2b (set-based
 * SQL over the population); apps/api/test/indicators-facts-consistency.int-spec.ts checks the two agree.
 */
export function priceEnrolment(
  enrolment: PricedEnrolment,
  sessions: readonly SessionRecord[],
  /** The contracts of the enrolment's practice x insurer: each item is priced with the one in force on its date. */
  contracts: readonly ContractTerms[],
  analysisDate: IsoDate,
): EnrolmentPrice {
  const { intakeDate, arm } = enrolment;
  const periods = careQuarters(intakeDate, enrolment.endDate, analysisDate);
  const counted = sessions
    .filter((s) => s.date <= analysisDate)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const unpriced: UnpricedItem[] = [];

  const quarters = periods.map((period): PricedQuarter => {
    const inQuarter = counted.filter((s) => period.start <= s.date && s.date < period.endExclusive);
    let bundleCents = 0;
    let ffsCents = 0;
    const items: PricedItem[] = [];

    if (period.index === 1) {
      const atIntake = contractInForce(contracts, intakeDate);
      if (atIntake) {
        bundleCents += atIntake.bundle.intake;
        ffsCents += atIntake.ffs.intake;
      } else {
        unpriced.push({ item: 'INTAKE', date: intakeDate, quarterIndex: 1 });
      }
      items.push({ item: 'INTAKE', date: intakeDate, sessionKind: null, bundleCents: atIntake?.bundle.intake ?? 0, ffsCents: atIntake?.ffs.intake ?? 0, priced: atIntake !== undefined });
    }
    if (inQuarter.length > 0) {
      // The quarter tariff follows the contract at the quarter's start; a gap there falls back to the first session.
      const pricing =
        contractInForce(contracts, period.start) ?? contractInForce(contracts, inQuarter[0].date);
      if (pricing) bundleCents += pricing.bundle.quarter;
      else unpriced.push({ item: 'QUARTER', date: period.start, quarterIndex: period.index });
      items.push({ item: 'QUARTER', date: period.start, sessionKind: null, bundleCents: pricing?.bundle.quarter ?? 0, ffsCents: 0, priced: pricing !== undefined });
    }
    for (const session of inQuarter) {
      const pricing = contractInForce(contracts, session.date);
      if (pricing) ffsCents += ffsSessionCents(pricing, session.kind);
      else unpriced.push({ item: 'SESSION', date: session.date, quarterIndex: period.index });
      items.push({ item: 'SESSION', date: session.date, sessionKind: session.kind, bundleCents: 0, ffsCents: pricing ? ffsSessionCents(pricing, session.kind) : 0, priced: pricing !== undefined });
    }

    return {
      ...period,
      calendarQuarter: calendarQuarterOf(period.start),
      sessionCount: inQuarter.length,
      isCareQuarter: period.index === 1 || inQuarter.length > 0,
      bundleCents,
      ffsCents,
      paidCents: arm === 'BUNDLE' ? bundleCents : ffsCents,
      counterfactualCents: arm === 'BUNDLE' ? ffsCents : bundleCents,
      ended: addDays(period.endExclusive, -1) <= analysisDate,
      items,
    };
  });

  const sum = (pick: (q: PricedQuarter) => number): number => quarters.reduce((acc, q) => acc + pick(q), 0);
  return {
    quarters,
    totals: {
      bundleCents: sum((q) => q.bundleCents),
      ffsCents: sum((q) => q.ffsCents),
      paidCents: sum((q) => q.paidCents),
      counterfactualCents: sum((q) => q.counterfactualCents),
      careQuarterCount: quarters.filter((q) => q.isCareQuarter).length,
      sessionCount: sum((q) => q.sessionCount),
    },
    unpriced,
  };
}
