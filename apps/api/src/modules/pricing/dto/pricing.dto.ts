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
  @ApiProperty({ example: '2025-08-14' }) date!: string;
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
