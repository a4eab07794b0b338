import { ApiProperty } from '@nestjs/swagger';
import { ARMS, type Arm } from '@copd/domain';
import { ClosedSchema } from '../../../core/http/closed-schema';

// OpenAPI 3.0.3: `nullable` does not add null to an enum, so null is listed among the values.
const ARM_OR_NULL = [...ARMS, null];

@ClosedSchema('One quarter of the enrolment, priced under both arms (materialised facts)')
export class FactsQuarterDto {
  @ApiProperty({ example: 1, description: '1 for the quarter of the intake' }) index!: number;
  @ApiProperty({ example: '2025-02-10' }) start!: string;
  @ApiProperty({ example: '2025-05-10', description: 'First day after the quarter' }) endExclusive!: string;
  @ApiProperty({ example: 4 }) sessions!: number;
  @ApiProperty({ description: 'Q1, or a later quarter with at least one session' }) isCareQuarter!: boolean;
  @ApiProperty({ description: 'Its last day is on or before the analysis date' }) ended!: boolean;
  @ApiProperty({ example: 45000, description: 'Price under the bundle arm, cents' }) bundleCents!: number;
  @ApiProperty({ example: 22000, description: 'Price under fee-for-service, cents' }) ffsCents!: number;
  @ApiProperty({ description: "Under the patient's arm, cents" }) paidCents!: number;
  @ApiProperty({ description: 'Under the other arm, cents' }) counterfactualCents!: number;
}

/** Before the first recompute that covers the patient, computed is false and every figure null (quarters empty). */
@ClosedSchema('The priced facts of one patient as the indicators read them')
export class PatientFactsDto {
  @ApiProperty({ example: 'P-3F2A9C0D1E4B5A67', description: 'Pseudonym' }) patient!: string;
  @ApiProperty({ description: 'Whether a recompute has materialised the facts' }) computed!: boolean;
  @ApiProperty({ nullable: true, type: String, example: '2026-09-30' }) analysisDate!: string | null;
  @ApiProperty({ enum: ARM_OR_NULL, nullable: true, example: 'BUNDLE' }) arm!: Arm | null;
  @ApiProperty({ nullable: true, type: Number }) careQuarters!: number | null;
  @ApiProperty({ nullable: true, type: Number }) sessions!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Cents' }) paidCents!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Cents' }) counterfactualCents!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Items with no contract in force (priced 0)' })
  unpricedItems!: number | null;
  @ApiProperty({ type: [FactsQuarterDto] }) quarters!: FactsQuarterDto[];
}
