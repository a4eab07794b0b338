import type { ContractTerms } from '@copd/domain';
import { ContractDto } from './dto/contract.dto';
import { ContractRow } from './contract.entity';

export function toContractDto(c: ContractRow): ContractDto {
  return {
    id: c.id,
    experiment: c.experimentCode,
    practice: c.agb,
    insurer: c.uzovi,
    arm: c.arm,
    validFrom: c.validFrom,
    validTo: c.validTo,
    bundle: { intake: c.bundleIntakeCents, quarter: c.bundleQuarterCents },
    ffs: {
      intake: c.ffsIntakeCents,
      session: c.ffsSessionCents,
      homeSupplement: c.ffsHomeSupplementCents,
      groupSession: c.ffsGroupSessionCents,
    },
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function toContractTerms(c: ContractRow): ContractTerms {
  return {
    id: c.id,
    practice: c.agb,
    insurer: c.uzovi,
    arm: c.arm,
    validFrom: c.validFrom,
    validTo: c.validTo,
    bundle: { intake: c.bundleIntakeCents, quarter: c.bundleQuarterCents },
    ffs: {
      intake: c.ffsIntakeCents,
      session: c.ffsSessionCents,
      homeSupplement: c.ffsHomeSupplementCents,
      groupSession: c.ffsGroupSessionCents,
    },
  };
}
