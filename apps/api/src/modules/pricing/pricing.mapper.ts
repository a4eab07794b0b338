import type { Arm, EnrolmentPrice, PricedItem, PricedQuarter } from '@copd/domain';
import { PatientRow } from '../patients/patient.entity';
import { COST_LINE_ITEMS, CostItemsDto, CostLineDto, CostLineItem, PricingDto } from './dto/pricing.dto';

/**
 * Derived figures (per care quarter) are never rounded before display (DOMAIN.md 5). `sessionDates: false` (an
 * insurer, README "What an insurer sees of a patient": no sessions) leaves the date of an unpriced session out.
 */
export function toPricingDto(patient: PatientRow, asOf: string, price: EnrolmentPrice, sessionDates = true): PricingDto {
  const { totals } = price;
  const perCareQuarter = (cents: number): number | null =>
    totals.careQuarterCount > 0 ? cents / totals.careQuarterCount : null;
  return {
    patientId: patient.id,
    pseudonym: patient.pseudonym,
    arm: patient.arm,
    asOf,
    quarters: price.quarters.map((q) => ({
      index: q.index,
      start: q.start,
      endExclusive: q.endExclusive,
      calendarQuarter: q.calendarQuarter,
      sessionCount: q.sessionCount,
      isCareQuarter: q.isCareQuarter,
      bundleCents: q.bundleCents,
      ffsCents: q.ffsCents,
      paidCents: q.paidCents,
      counterfactualCents: q.counterfactualCents,
      ended: q.ended,
    })),
    totals: {
      bundleCents: totals.bundleCents,
      ffsCents: totals.ffsCents,
      paidCents: totals.paidCents,
      counterfactualCents: totals.counterfactualCents,
      differenceCents: totals.paidCents - totals.counterfactualCents,
      careQuarterCount: totals.careQuarterCount,
      sessionCount: totals.sessionCount,
      paidPerCareQuarterCents: perCareQuarter(totals.paidCents),
      counterfactualPerCareQuarterCents: perCareQuarter(totals.counterfactualCents),
    },
    unpriced: price.unpriced.map((u) => ({ item: u.item, date: u.item === 'SESSION' && !sessionDates ? null : u.date, quarterIndex: u.quarterIndex })),
  };
}

/** The tariff a priced item falls under: individual and remote sessions share the session tariff. */
function lineItemOf(item: PricedItem): CostLineItem {
  if (item.item !== 'SESSION') return item.item;
  if (item.sessionKind === 'HOME') return 'HOME_SESSION';
  if (item.sessionKind === 'GROUP') return 'GROUP_SESSION';
  return 'SESSION';
}

/**
 * A care quarter's items as tariff lines (item x unit prices), in the order intake, quarter tariff, sessions:
 * counts and amounts only, so neither a session's date nor its kind beyond the tariff leaves the API.
 */
export function toCostLines(quarter: PricedQuarter, arm: Arm): CostLineDto[] {
  const lines = new Map<string, CostLineDto>();
  for (const item of quarter.items) {
    const kind = lineItemOf(item);
    const key = `${COST_LINE_ITEMS.indexOf(kind)}|${item.bundleCents}|${item.ffsCents}|${item.priced}`;
    const line = lines.get(key) ?? { item: kind, count: 0, bundleUnitCents: item.bundleCents, ffsUnitCents: item.ffsCents, bundleCents: 0, ffsCents: 0, paidCents: 0, counterfactualCents: 0, priced: item.priced };
    line.count += 1;
    line.bundleCents += item.bundleCents;
    line.ffsCents += item.ffsCents;
    line.paidCents = arm === 'BUNDLE' ? line.bundleCents : line.ffsCents;
    line.counterfactualCents = arm === 'BUNDLE' ? line.ffsCents : line.bundleCents;
    lines.set(key, line);
  }
  return [...lines.entries()].sort(([a], [b]) => Number(a.split('|')[0]) - Number(b.split('|')[0])).map(([, line]) => line);
}

/** Every field listed explicitly: the patient's clinical fields (PatientRow has them) never reach an insurer. */
export function toCostItemsDto(patient: PatientRow, practiceName: string, asOf: string, price: EnrolmentPrice): CostItemsDto {
  const { totals } = price;
  const perCareQuarter = (cents: number): number | null => (totals.careQuarterCount > 0 ? cents / totals.careQuarterCount : null);
  return {
    patient: {
      id: patient.id,
      pseudonym: patient.pseudonym,
      experiment: patient.experimentCode,
      practice: { agb: patient.agb, name: practiceName },
      insurer: patient.uzovi,
      arm: patient.arm,
      intakeDate: patient.intakeDate,
      endDate: patient.endDate,
    },
    asOf,
    quarters: price.quarters.map((q) => ({
      index: q.index,
      start: q.start,
      endExclusive: q.endExclusive,
      calendarQuarter: q.calendarQuarter,
      isCareQuarter: q.isCareQuarter,
      ended: q.ended,
      bundleCents: q.bundleCents,
      ffsCents: q.ffsCents,
      paidCents: q.paidCents,
      counterfactualCents: q.counterfactualCents,
      lines: toCostLines(q, patient.arm),
    })),
    totals: {
      paidCents: totals.paidCents,
      counterfactualCents: totals.counterfactualCents,
      differenceCents: totals.paidCents - totals.counterfactualCents,
      careQuarterCount: totals.careQuarterCount,
      paidPerCareQuarterCents: perCareQuarter(totals.paidCents),
      counterfactualPerCareQuarterCents: perCareQuarter(totals.counterfactualCents),
    },
  };
}
