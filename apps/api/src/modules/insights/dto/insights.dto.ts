import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import {
  ARMS,
  type Arm,
  MEASUREMENT_MILESTONES,
  type MeasurementMilestone,
  MIN_CELL_SIZE,
  MIN_PEER_PRACTICES,
  PEER_BENCHMARK_INDICATORS,
  WORKLIST_CLOSING_DAYS,
  WORKLIST_INSTRUMENTS,
  WORKLIST_STATUSES,
  WORKLIST_UPCOMING_DAYS,
  type WorklistInstrument,
  type WorklistStatus,
} from '@copd/domain';
import { IsIsoDate } from '../../../core/http/is-iso-date.decorator';
import { ComparisonQueryDto } from '../../indicators/dto/comparison-query.dto';

/**
 * The population filters of the arm comparison (DOMAIN.md section 6), with the same names and meaning,
 * so a dashboard view can pass one set of URL parameters to every endpoint.
 */
export class InsightsQueryDto extends ComparisonQueryDto {}

export class WorklistQueryDto extends InsightsQueryDto {
  @ApiPropertyOptional({
    example: '2026-09-30',
    description: 'The day the worklist is judged on; default today in Europe/Amsterdam (not the analysis date, which the indicators use)',
  })
  @IsOptional()
  @IsIsoDate()
  asOf?: string;
}

/** Freshness of the materialised facts every insight is read from. */
export class FreshnessDto {
  @ApiProperty({ example: 'COPD-DEMO' }) experiment!: string;
  @ApiProperty({ example: '2026-09-30' }) analysisDate!: string;
  @ApiProperty({ nullable: true, type: String, example: '2026-10-01T08:00:00.000Z' }) computedAt!: string | null;
  @ApiProperty({ description: 'Changes wait to be recomputed, or facts are of another analysis date' }) stale!: boolean;
}

const WITHHELD = `Present (true) when the cell holds fewer than ${MIN_CELL_SIZE} patients whose records the reader may not see (an insurer's insured): care quarters and amounts are then null`;

export class CostSeriesRowDto {
  @ApiProperty({ enum: ARMS }) arm!: Arm;
  @ApiProperty({ example: '2025-Q1', description: 'Calendar quarter of the care quarter start' }) quarter!: string;
  @ApiProperty({ example: '2025-01-01' }) quarterStart!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Care quarters starting in this calendar quarter' }) careQuarters!: number | null;
  @ApiProperty({ description: 'Patients with such a care quarter' }) patients!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Paid under the patients\' arm, euro cents' }) paidCents!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Counterfactual under the other arm, euro cents' }) counterfactualCents!: number | null;
  @ApiProperty({
    example: true,
    description: 'false while the calendar quarter still runs on the analysis date (its last day is after it): its care is not all in yet',
  })
  complete!: boolean;
  @ApiPropertyOptional({ enum: [true], description: WITHHELD }) withheld?: true;
}

export class ArmTotalDto {
  @ApiProperty({ enum: ARMS }) arm!: Arm;
  @ApiProperty({ nullable: true, type: Number }) careQuarters!: number | null;
  @ApiProperty() patients!: number;
  @ApiProperty({ nullable: true, type: Number }) paidCents!: number | null;
  @ApiProperty({ nullable: true, type: Number }) counterfactualCents!: number | null;
  @ApiPropertyOptional({ enum: [true], description: WITHHELD }) withheld?: true;
}

export class CostSeriesDto extends FreshnessDto {
  @ApiProperty({ type: [CostSeriesRowDto] }) rows!: CostSeriesRowDto[];
  @ApiProperty({ type: [ArmTotalDto] }) totals!: ArmTotalDto[];
}

export class PracticeRefDto {
  @ApiProperty({ example: '12345678' }) agb!: string;
  @ApiProperty() name!: string;
  @ApiProperty() region!: string;
}

export class CompletenessRowDto {
  @ApiProperty({ type: PracticeRefDto }) practice!: PracticeRefDto;
  @ApiProperty({ enum: ARMS, isArray: true }) arms!: Arm[];
  @ApiProperty() patients!: number;
  @ApiProperty({ description: 'Intake at least 14 days before the analysis date' }) baselineEligible!: number;
  @ApiProperty({ description: 'Of those: baseline 6MWT and baseline CCQ or CAT' }) baselineComplete!: number;
  @ApiProperty() followup3mEligible!: number;
  @ApiProperty() followup3mComplete!: number;
  @ApiProperty() followup12mEligible!: number;
  @ApiProperty() followup12mComplete!: number;
}

export class CompletenessDto extends FreshnessDto {
  @ApiProperty({ type: [CompletenessRowDto], description: 'Ranked: lowest baseline completeness first' })
  practices!: CompletenessRowDto[];
}

export class WaitDaysCountDto {
  @ApiProperty() days!: number;
  @ApiProperty() patients!: number;
}

export class WaitDaysArmDto {
  @ApiProperty({ enum: ARMS }) arm!: Arm;
  @ApiProperty() n!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean of the two middle values for even n' }) median!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Nearest rank' }) p90!: number | null;
  @ApiProperty({ type: [WaitDaysCountDto] }) counts!: WaitDaysCountDto[];
}

export class WaitDaysDto extends FreshnessDto {
  @ApiProperty({ type: [WaitDaysArmDto] }) arms!: WaitDaysArmDto[];
}

/** The peer benchmark's indicators, from the catalogue in libs/domain. */
export const PEER_INDICATORS = PEER_BENCHMARK_INDICATORS;
export type PeerIndicator = (typeof PEER_INDICATORS)[number];

export class PeerIndicatorDto {
  @ApiProperty({ enum: PEER_INDICATORS }) code!: PeerIndicator;
  @ApiProperty({ example: 'EUR' }) unit!: string;
  @ApiProperty({ description: 'Units behind the practice\'s own value (patients, or judged quarters)' }) n!: number;
  @ApiProperty({ nullable: true, type: Number }) value!: number | null;
  @ApiProperty({
    type: [Number],
    description: 'The value of every peer practice, ascending, without names; empty when withheld',
  })
  peers!: number[];
  @ApiProperty({ nullable: true, type: Number }) peerMedian!: number | null;
  @ApiProperty({
    description: `True when fewer than ${MIN_PEER_PRACTICES} other practices have a value over at least ${MIN_CELL_SIZE} patients (a peer with fewer is left out): peers and their median are then withheld, so no single practice or patient can be recognised`,
  })
  peersWithheld!: boolean;
}

export class PeerArmDto {
  @ApiProperty({ enum: ARMS }) arm!: Arm;
  @ApiProperty({ description: 'Other practices with patients of this arm' }) peerPractices!: number;
  @ApiProperty({ type: [PeerIndicatorDto] }) indicators!: PeerIndicatorDto[];
}

export class PeerDistributionDto extends FreshnessDto {
  @ApiProperty({ type: PracticeRefDto }) practice!: PracticeRefDto;
  @ApiProperty({ type: [PeerArmDto] }) arms!: PeerArmDto[];
}

export class WorklistItemDto {
  @ApiProperty() patientId!: string;
  @ApiProperty({ example: 'P-3F2A9C0D1E4B5A67' }) pseudonym!: string;
  @ApiProperty({ nullable: true, type: String, description: "The practice's own ref; only for the practice itself" })
  ref!: string | null;
  @ApiProperty({ example: '12345678' }) practice!: string;
  @ApiProperty({ enum: ARMS }) arm!: Arm;
  @ApiProperty({ example: '2026-09-01' }) intakeDate!: string;
  @ApiProperty({ enum: MEASUREMENT_MILESTONES }) milestone!: MeasurementMilestone;
  @ApiProperty({ enum: WORKLIST_INSTRUMENTS, description: 'SIX_MWT: the 6-minute walk test; CCQ_OR_CAT: a CCQ or a CAT (either counts)' })
  instrument!: WorklistInstrument;
  @ApiProperty({
    enum: WORKLIST_STATUSES,
    description: `Judged on asOf (today in Europe/Amsterdam unless given). DUE: the window is open; CLOSING: open and its last day is within ${WORKLIST_CLOSING_DAYS} days; MISSED: the window closed without a value; UPCOMING: it opens within ${WORKLIST_UPCOMING_DAYS} days`,
  })
  status!: WorklistStatus;
  @ApiProperty({ example: '2026-11-10', description: 'First day of the window (inclusive)' }) windowStart!: string;
  @ApiProperty({ example: '2026-12-22', description: 'Last day of the window (inclusive)' }) windowEnd!: string;
  @ApiProperty({ example: '2026-12-01', description: 'The day whose value the indicators prefer' }) target!: string;
  @ApiProperty({
    example: '2026-11-20',
    description: 'A date inside the window for the pre-filled measurement form: asOf while the window is open, else its first day',
  })
  suggestedDate!: string;
}

export class WorklistDto {
  @ApiProperty({ example: 'COPD-DEMO' }) experiment!: string;
  @ApiProperty({ example: '2026-11-20', description: 'The day the worklist is judged on: today (Europe/Amsterdam) unless asOf was given' })
  asOf!: string;
  @ApiProperty({ example: '2026-09-30', description: "The experiment's analysis date, which the indicators are judged on" })
  analysisDate!: string;
  @ApiProperty({ type: [WorklistItemDto] }) items!: WorklistItemDto[];
}
