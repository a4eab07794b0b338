import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { ARMS, type Arm, MIN_CELL_SIZE } from '@copd/domain';
import { ArmTotalDto, CostSeriesRowDto, FreshnessDto, InsightsQueryDto, PracticeRefDto } from './insights.dto';

/** A calendar quarter as the time series name it: 2025-Q1. */
export const CALENDAR_QUARTER = /^\d{4}-Q[1-4]$/;

/**
 * The insurer's cost filters: the population filters of the comparison (an insurer may not use goldStage or
 * profile: @Reveals on ComparisonQueryDto) and a period of calendar quarters. A care quarter counts in the period
 * when its start lies in it (DOMAIN.md 5, time series), so the period narrows by a date the insurer sees anyway.
 */
export class InsurerCostsQueryDto extends InsightsQueryDto {
  @ApiPropertyOptional({ example: '2025-Q1', description: 'First calendar quarter of the period (inclusive), by the care quarter start' })
  @IsOptional()
  @Matches(CALENDAR_QUARTER, { message: 'from: een kwartaal als 2025-Q1' })
  from?: string;

  @ApiPropertyOptional({ example: '2025-Q4', description: 'Last calendar quarter of the period (inclusive)' })
  @IsOptional()
  @Matches(CALENDAR_QUARTER, { message: 'to: een kwartaal als 2025-Q4' })
  to?: string;
}

/** The patients of one practice with care in the period; `practice` is required (one AGB code). */
export class InsurerPatientsQueryDto extends InsurerCostsQueryDto {}

const WITHHELD = `Present (true) when the cell holds fewer than ${MIN_CELL_SIZE} patients whose records the reader may not see (an insurer's insured): care quarters and amounts are then null`;

export class PeriodDto {
  @ApiProperty({ nullable: true, type: String, example: '2025-Q1' }) from!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2025-Q4' }) to!: string | null;
}

/** One practice x arm x calendar quarter of the insurer's costs (care quarters placed by their start). */
export class InsurerPracticeQuarterCostDto {
  @ApiProperty({ type: PracticeRefDto }) practice!: PracticeRefDto;
  @ApiProperty({ enum: ARMS }) arm!: Arm;
  @ApiProperty({ example: '2025-Q1' }) quarter!: string;
  @ApiProperty({ example: '2025-01-01' }) quarterStart!: string;
  @ApiProperty({ description: 'false while the calendar quarter still runs on the analysis date: its care is not all in yet' })
  complete!: boolean;
  @ApiProperty({ description: 'Patients with a care quarter starting in this calendar quarter' }) patients!: number;
  @ApiProperty({ nullable: true, type: Number }) careQuarters!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Euro cents' }) paidCents!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Euro cents' }) counterfactualCents!: number | null;
  @ApiPropertyOptional({ enum: [true], description: WITHHELD }) withheld?: true;
}

export class InsurerPatientCostDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'P-3F2A9C0D1E4B5A67' }) pseudonym!: string;
  @ApiProperty({ enum: ARMS }) arm!: Arm;
  @ApiProperty({ example: '2025-02-10' }) intakeDate!: string;
  @ApiProperty({ nullable: true, type: String }) endDate!: string | null;
  @ApiProperty({ description: 'Care quarters starting in the period' }) careQuarters!: number;
  @ApiProperty({ description: 'Paid over those care quarters, euro cents' }) paidCents!: number;
  @ApiProperty({ description: 'Counterfactual over those care quarters, euro cents' }) counterfactualCents!: number;
}

export class InsurerPatientsDto {
  @ApiProperty({ example: 'COPD-DEMO' }) experiment!: string;
  @ApiProperty({ example: '2026-09-30' }) analysisDate!: string;
  @ApiProperty({ type: PracticeRefDto }) practice!: PracticeRefDto;
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ type: [InsurerPatientCostDto], description: 'Patients with at least one care quarter starting in the period, by pseudonym' })
  patients!: InsurerPatientCostDto[];
}

export class InsurerPracticeCostDto {
  @ApiProperty({ type: PracticeRefDto }) practice!: PracticeRefDto;
  @ApiProperty({ enum: ARMS }) arm!: Arm;
  @ApiProperty() patients!: number;
  @ApiProperty({ nullable: true, type: Number }) careQuarters!: number | null;
  @ApiProperty({ nullable: true, type: Number }) paidCents!: number | null;
  @ApiProperty({ nullable: true, type: Number }) counterfactualCents!: number | null;
  @ApiPropertyOptional({ enum: [true], description: WITHHELD }) withheld?: true;
}

export class InsurerRefDto {
  @ApiProperty({ example: '3311' }) uzovi!: string;
  @ApiProperty() name!: string;
}

export class InsurerCostsDto extends FreshnessDto {
  @ApiProperty({ type: [InsurerRefDto], description: 'The insurers whose insured are counted' }) insurers!: InsurerRefDto[];
  @ApiProperty({ type: [InsurerPracticeCostDto] }) byPractice!: InsurerPracticeCostDto[];
  @ApiProperty({ type: [CostSeriesRowDto] }) byQuarter!: CostSeriesRowDto[];
  @ApiProperty({ type: [ArmTotalDto] }) totals!: ArmTotalDto[];
  @ApiProperty({ type: PeriodDto, description: 'The period asked for (null ends: unbounded); every figure counts the care quarters starting in it' })
  period!: PeriodDto;
  @ApiProperty({ type: [String], example: ['2025-Q1', '2025-Q2'], description: "The calendar quarters from the experiment's start to the analysis date, for a period filter" })
  quarters!: string[];
  @ApiProperty({ type: [InsurerPracticeQuarterCostDto], description: 'Per practice, arm and calendar quarter' })
  byPracticeQuarter!: InsurerPracticeQuarterCostDto[];
}
