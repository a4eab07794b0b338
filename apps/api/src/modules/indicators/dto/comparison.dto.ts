import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ARMS,
  INDICATORS,
  MIN_CELL_SIZE,
  type Arm,
  type IndicatorCode,
  type IndicatorKind,
} from '@copd/domain';
import { ClosedSchema, nullableRef } from '../../../core/http/closed-schema';

/** Every indicator code, in the catalogue's order (libs/domain indicators/catalogue.ts). */
export const INDICATOR_CODES: IndicatorCode[] = INDICATORS.map((i) => i.code);
export const INDICATOR_KINDS = [
  'MEAN',
  'PROPORTION',
  'RATE',
  'MEDIAN',
  'COUNT',
] as const satisfies readonly IndicatorKind[];

/** The population filters of the request, as given (codes, not ids); absent filters are left out. */
@ClosedSchema()
export class ComparisonFiltersDto {
  @ApiPropertyOptional({ type: [String], example: ['12345678'], description: 'AGB codes' })
  practice?: string[];
  @ApiPropertyOptional({ type: [String], example: ['3311'], description: 'UZOVI codes' }) insurer?: string[];
  @ApiPropertyOptional({ type: [String] }) region?: string[];
  @ApiPropertyOptional({ type: [Number], example: [3, 4] }) goldStage?: number[];
  @ApiPropertyOptional({ type: [Number], example: [2] }) profile?: number[];
  @ApiPropertyOptional({ example: '2025-01-01' }) intakeFrom?: string;
  @ApiPropertyOptional({ example: '2025-12-31' }) intakeTo?: string;
}

@ClosedSchema('Practices with at least one patient in the arm')
export class PracticesPerArmDto {
  @ApiProperty({ example: 12 }) BUNDLE!: number;
  @ApiProperty({ example: 11 }) FFS!: number;
}

@ClosedSchema('Patients per GOLD stage')
export class GoldStageCountsDto {
  @ApiProperty({ example: 40 }) '2'!: number;
  @ApiProperty({ example: 25 }) '3'!: number;
  @ApiProperty({ example: 5 }) '4'!: number;
}

@ClosedSchema('Patients per KNGF profile')
export class ProfileCountsDto {
  @ApiProperty() '1'!: number;
  @ApiProperty() '2'!: number;
  @ApiProperty() '3'!: number;
  @ApiProperty() '4'!: number;
  @ApiProperty() '5'!: number;
  @ApiProperty() '6'!: number;
}

@ClosedSchema()
export class CaseMixDto {
  @ApiProperty({ type: GoldStageCountsDto }) goldStage!: GoldStageCountsDto;
  @ApiProperty({ type: ProfileCountsDto }) profile!: ProfileCountsDto;
  @ApiProperty({ nullable: true, type: Number, example: 68.4 }) meanAge!: number | null;
}

@ClosedSchema()
export class CaseMixPerArmDto {
  @ApiProperty({ type: CaseMixDto }) BUNDLE!: CaseMixDto;
  @ApiProperty({ type: CaseMixDto }) FFS!: CaseMixDto;
}

@ClosedSchema(
  "One arm's figure: n, crude value with its 95% CI, and the case-mix (GOLD stage) adjusted value",
)
export class ArmResultDto {
  @ApiProperty({ description: 'Units behind the value (patients, judged quarters)' }) n!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Crude value in the indicator unit' }) value!:
    number | null;
  @ApiProperty({ nullable: true, type: Number }) ciLow!: number | null;
  @ApiProperty({ nullable: true, type: Number }) ciHigh!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Directly standardised by GOLD stage' })
  adjusted!: number | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'directly standardised by GOLD stage',
    description: 'Why adjusted is null or what it means',
  })
  adjustedNote!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'WAIT_DAYS only: the 90th percentile by nearest rank',
  })
  p90?: number | null;
}

@ClosedSchema()
export class ArmResultsDto {
  @ApiProperty({ type: ArmResultDto }) BUNDLE!: ArmResultDto;
  @ApiProperty({ type: ArmResultDto }) FFS!: ArmResultDto;
}

@ClosedSchema(
  'BUNDLE - FFS on the crude values, with its 95% CI and the minimal detectable difference (80% power)',
)
export class DifferenceDto {
  @ApiProperty({ nullable: true, type: Number }) value!: number | null;
  @ApiProperty({ nullable: true, type: Number }) ciLow!: number | null;
  @ApiProperty({ nullable: true, type: Number }) ciHigh!: number | null;
  @ApiProperty({ nullable: true, type: Number }) mdd!: number | null;
}

@ClosedSchema(
  "One arm's practice-clustered 95% interval (DOMAIN.md 7a): practices as clusters, CR1 variance, t with G - 1 df",
)
export class ClusteredArmDto {
  @ApiProperty({
    example: 12,
    description: 'G: practices with at least one patient (unit) included in the indicator in this arm',
  })
  clusters!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Null when G < 2' }) ciLow!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Null when G < 2' }) ciHigh!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    example: 1.8,
    description:
      'Clustered variance / unclustered variance of the same value; null when either is 0 or unknown',
  })
  designEffect!: number | null;
}

@ClosedSchema()
export class ClusteredArmsDto {
  @ApiProperty({ type: ClusteredArmDto }) BUNDLE!: ClusteredArmDto;
  @ApiProperty({ type: ClusteredArmDto }) FFS!: ClusteredArmDto;
}

@ClosedSchema(
  'BUNDLE - FFS with the practice-clustered SE sqrt(V_B + V_F): t interval with Welch-type df, and the MDD',
)
export class ClusteredDifferenceDto {
  @ApiProperty({ nullable: true, type: Number }) ciLow!: number | null;
  @ApiProperty({ nullable: true, type: Number }) ciHigh!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Null when there is no interval or V_B + V_F = 0',
  })
  df!: number | null;
  @ApiProperty({ nullable: true, type: Number }) mdd!: number | null;
}

@ClosedSchema('Practice-clustered intervals (DOMAIN.md 7a), next to the unclustered ones')
export class ClusteredIntervalsDto {
  @ApiProperty({ type: ClusteredArmsDto }) arms!: ClusteredArmsDto;
  @ApiProperty({ type: ClusteredDifferenceDto }) difference!: ClusteredDifferenceDto;
}

@ClosedSchema()
@ApiExtraModels(ClusteredIntervalsDto)
export class IndicatorResultDto {
  @ApiProperty({ enum: INDICATOR_CODES, enumName: 'IndicatorCode' }) code!: IndicatorCode;
  @ApiProperty({
    example: 'EUR',
    description: 'Euros are decimal numbers, proportions fractions 0..1, rates per patient-year',
  })
  unit!: string;
  @ApiProperty({ enum: INDICATOR_KINDS, enumName: 'IndicatorKind' }) kind!: IndicatorKind;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Minimal clinically important difference, in the unit',
  })
  mcid!: number | null;
  @ApiProperty({ type: ArmResultsDto }) arms!: ArmResultsDto;
  @ApiProperty({ type: DifferenceDto }) difference!: DifferenceDto;
  @ApiProperty(
    nullableRef(
      ClusteredIntervalsDto,
      'Practice-clustered intervals; null for WAIT_DAYS and ENROLLED, which have no interval',
    ),
  )
  clustered!: ClusteredIntervalsDto | null;
  @ApiPropertyOptional({
    enum: ARMS,
    isArray: true,
    description: `Present for a reader who may not see the patients: the arms of 1 to ${MIN_CELL_SIZE - 1} patients, whose value, interval, adjusted value and difference are withheld`,
  })
  withheld?: Arm[];
}

@ClosedSchema(
  'The arm comparison of DOMAIN.md sections 6-7. An insurer receives the cost indicators and ENROLLED only, without caseMix and without adjusted values.',
)
export class ComparisonDto {
  @ApiProperty({ example: 'COPD-DEMO' }) experiment!: string;
  @ApiProperty({ example: '2026-09-30' }) analysisDate!: string;
  @ApiProperty({ nullable: true, type: String, example: '2026-10-01T08:00:00.000Z' }) computedAt!:
    string | null;
  @ApiProperty({ description: 'Changes wait to be recomputed, or facts are of another analysis date' })
  stale!: boolean;
  @ApiProperty({ type: ComparisonFiltersDto }) filters!: ComparisonFiltersDto;
  @ApiProperty({ type: PracticesPerArmDto }) practices!: PracticesPerArmDto;
  @ApiPropertyOptional({ type: CaseMixPerArmDto, description: 'Absent for an insurer (clinical case mix)' })
  caseMix?: CaseMixPerArmDto;
  @ApiProperty({ type: [IndicatorResultDto] }) indicators!: IndicatorResultDto[];
}
