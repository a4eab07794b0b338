import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { ARMS, type Arm } from '@copd/domain';
import { IsIsoDate } from '../../../core/http/is-iso-date.decorator';

export class PricingQuery {
  @ApiPropertyOptional({
    example: '2025-09-30',
    description: "As-of date; defaults to the experiment's analysis date",
  })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;
}

export class PricedQuarterDto {
  @ApiProperty({ example: 1, description: '1 for the quarter of the intake' }) index!: number;
  @ApiProperty({ example: '2025-02-10' }) start!: string;
  @ApiProperty({ example: '2025-05-10', description: 'First day after the quarter' }) endExclusive!: string;
  @ApiProperty({ example: '2025-Q1', description: 'Calendar quarter of the start (time series)' })
  calendarQuarter!: string;
  @ApiProperty({ example: 4 }) sessionCount!: number;
  @ApiProperty({ example: true, description: 'Q1, or a later quarter with at least one session' })
  isCareQuarter!: boolean;
  @ApiProperty({ example: 45000, description: 'Price under the bundle arm, cents' }) bundleCents!: number;
  @ApiProperty({ example: 22000, description: 'Price under fee-for-service, cents' }) ffsCents!: number;
  @ApiProperty({ example: 45000, description: "Under the patient's arm, cents" }) paidCents!: number;
  @ApiProperty({ example: 22000, description: 'Under the other arm, cents' }) counterfactualCents!: number;
  @ApiProperty({ example: true, description: 'Its last day is on or before the as-of date' }) ended!: boolean;
}

export class PricingTotalsDto {
  @ApiProperty({ example: 117000 }) bundleCents!: number;
  @ApiProperty({ example: 30000 }) ffsCents!: number;
  @ApiProperty({ example: 117000, description: "Price under the patient's arm, cents" }) paidCents!: number;
  @ApiProperty({ example: 30000, description: 'Price of the same care under the other arm, cents' })
  counterfactualCents!: number;
  @ApiProperty({ example: 87000, description: 'paid - counterfactual, cents' }) differenceCents!: number;
  @ApiProperty({ example: 3 }) careQuarterCount!: number;
  @ApiProperty({ example: 6 }) sessionCount!: number;
  @ApiProperty({
    example: 39000,
    nullable: true,
    type: Number,
    description: 'paid / care quarters, cents, unrounded; null without care quarters',
  })
  paidPerCareQuarterCents!: number | null;
  @ApiProperty({
    example: 10000,
    nullable: true,
    type: Number,
    description: 'counterfactual / care quarters, cents, unrounded',
  })
  counterfactualPerCareQuarterCents!: number | null;
}

export class UnpricedItemDto {
  @ApiProperty({ enum: ['INTAKE', 'QUARTER', 'SESSION'] }) item!: 'INTAKE' | 'QUARTER' | 'SESSION';
  @ApiProperty({ example: '2025-08-14', nullable: true, type: String, description: "The item's pricing date; null for a session read by an insurer (it sees no session dates)" })
  date!: string | null;
  @ApiProperty({ example: 3 }) quarterIndex!: number;
}

export class PricingDto {
  @ApiProperty() patientId!: string;
  @ApiProperty({ example: 'P-3F2A9C0D1E4B5A67' }) pseudonym!: string;
  @ApiProperty({ enum: ARMS, example: 'BUNDLE' }) arm!: Arm;
  @ApiProperty({ example: '2025-09-30' }) asOf!: string;
  @ApiProperty({ type: [PricedQuarterDto] }) quarters!: PricedQuarterDto[];
  @ApiProperty({ type: PricingTotalsDto }) totals!: PricingTotalsDto;
  @ApiProperty({
    type: [UnpricedItemDto],
    description: 'Items with no contract in force on their pricing date (priced 0)',
  })
  unpriced!: UnpricedItemDto[];
}

export const COST_LINE_ITEMS = ['INTAKE', 'QUARTER', 'SESSION', 'HOME_SESSION', 'GROUP_SESSION'] as const;
export type CostLineItem = (typeof COST_LINE_ITEMS)[number];

export class CostLineDto {
  @ApiProperty({
    enum: COST_LINE_ITEMS,
    description:
      'The tariff the line is priced by: the intake (both arms), the bundle quarter tariff, and the fee-for-service session tariffs (SESSION: individual or remote, HOME_SESSION: session + home supplement, GROUP_SESSION)',
  })
  item!: CostLineItem;
  @ApiProperty({ example: 2, description: 'How many of the item at these unit prices' }) count!: number;
  @ApiProperty({ example: 0, description: 'Unit price under the bundle arm, cents' }) bundleUnitCents!: number;
  @ApiProperty({ example: 4000, description: 'Unit price under fee-for-service, cents' }) ffsUnitCents!: number;
  @ApiProperty({ example: 0 }) bundleCents!: number;
  @ApiProperty({ example: 8000 }) ffsCents!: number;
  @ApiProperty({ example: 0, description: "Under the patient's arm, cents" }) paidCents!: number;
  @ApiProperty({ example: 8000, description: 'Under the other arm, cents' }) counterfactualCents!: number;
  @ApiProperty({ description: 'false when no contract was in force on the pricing date (priced 0)' }) priced!: boolean;
}

export class CostQuarterDto {
  @ApiProperty({ example: 1 }) index!: number;
  @ApiProperty({ example: '2025-02-10' }) start!: string;
  @ApiProperty({ example: '2025-05-10', description: 'First day after the quarter' }) endExclusive!: string;
  @ApiProperty({ example: '2025-Q1' }) calendarQuarter!: string;
  @ApiProperty({ description: 'Q1, or a later quarter with care' }) isCareQuarter!: boolean;
  @ApiProperty({ description: 'Its last day is on or before the as-of date; false: still running' }) ended!: boolean;
  @ApiProperty({ example: 45000 }) bundleCents!: number;
  @ApiProperty({ example: 22000 }) ffsCents!: number;
  @ApiProperty({ example: 45000 }) paidCents!: number;
  @ApiProperty({ example: 22000 }) counterfactualCents!: number;
  @ApiProperty({ type: [CostLineDto], description: 'What the amounts are made of, one line per tariff and unit price' }) lines!: CostLineDto[];
}

export class CostPracticeDto {
  @ApiProperty({ example: '12345678' }) agb!: string;
  @ApiProperty({ example: 'Fysiotherapie Centrum' }) name!: string;
}

/** The patient as an insurer sees it (README "What an insurer sees of a patient"): no clinical field. */
export class CostPatientDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'P-3F2A9C0D1E4B5A67' }) pseudonym!: string;
  @ApiProperty({ example: 'COPD-2025' }) experiment!: string;
  @ApiProperty({ type: CostPracticeDto }) practice!: CostPracticeDto;
  @ApiProperty({ example: '3311' }) insurer!: string;
  @ApiProperty({ enum: ARMS }) arm!: Arm;
  @ApiProperty({ example: '2025-02-10' }) intakeDate!: string;
  @ApiProperty({ nullable: true, type: String }) endDate!: string | null;
}

export class CostTotalsDto {
  @ApiProperty({ example: 117000 }) paidCents!: number;
  @ApiProperty({ example: 30000 }) counterfactualCents!: number;
  @ApiProperty({ example: 87000 }) differenceCents!: number;
  @ApiProperty({ example: 3 }) careQuarterCount!: number;
  @ApiProperty({ nullable: true, type: Number, example: 39000, description: 'Unrounded' }) paidPerCareQuarterCents!: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 10000, description: 'Unrounded' }) counterfactualPerCareQuarterCents!: number | null;
}

/**
 * One patient's priced care quarters and the tariff lines they are made of, without dates of sessions or any
 * clinical field: what an insurer pays (or would have paid) per item of its contract.
 */
export class CostItemsDto {
  @ApiProperty({ type: CostPatientDto }) patient!: CostPatientDto;
  @ApiProperty({ example: '2025-09-30', description: "The experiment's analysis date" }) asOf!: string;
  @ApiProperty({ type: [CostQuarterDto] }) quarters!: CostQuarterDto[];
  @ApiProperty({ type: CostTotalsDto }) totals!: CostTotalsDto;
}
