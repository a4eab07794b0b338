import type { EnrolmentPrice } from '@copd/domain';
import { PatientRow } from '../patients/patient.entity';
import { PricingDto } from './dto/pricing.dto';

/** Derived figures (per care quarter) are never rounded before display (DOMAIN.md 5). */
export function toPricingDto(patient: PatientRow, asOf: string, price: EnrolmentPrice): PricingDto {
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
    unpriced: price.unpriced.map((u) => ({ item: u.item, date: u.date, quarterIndex: u.quarterIndex })),
  };
}
