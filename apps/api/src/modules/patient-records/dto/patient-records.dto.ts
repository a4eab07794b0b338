import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  ARMS,
  type Arm,
  MEASUREMENT_MILESTONES,
  MEASUREMENT_WINDOW_LABELS,
  type MeasurementMilestone,
  type MeasurementWindowLabel,
  NO_RECENT_SESSION_DAYS,
  PATIENT_PROBLEMS,
  type PatientProblem,
  WORKLIST_INSTRUMENTS,
  type WorklistInstrument,
} from '@copd/domain';
import { Reveals } from '../../../core/actor/field-visibility';
import { ClosedSchema, nullableRef } from '../../../core/http/closed-schema';
import { PageQuery } from '../../../core/http/paging';
import { PatientDto } from '../../patients/dto/patient.dto';

export const RECORD_STATUSES = ['active', 'ended'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];
/** The sort keys of the patient list; each maps to one column in the repository's whitelist. */
export const RECORD_SORTS = ['ref', 'pseudonym', 'intakeDate', 'careQuarters', 'lastSession', 'nextDue'] as const;
export type RecordSort = (typeof RECORD_SORTS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export const DUE_STATUSES = ['DUE', 'CLOSING', 'UPCOMING'] as const;

const PROBLEMS_TEXT = `MISSING_BASELINE: the baseline window has closed without a 6MWT, or without a CCQ or CAT; ABOVE_KNGF_MAXIMUM: more sessions in the first 365 days than the KNGF maximum of the profile; NO_RECENT_SESSION: an active enrolment whose last session (or intake) is more than ${NO_RECENT_SESSION_DAYS} days ago`;

/**
 * The patient list of one practice (issue 14). Only EVALUATOR and PRACTICE read it, who both see every field;
 * the parameters that narrow by a patient field are still marked, as on every query DTO.
 */
export class PatientRecordsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'COPD-2025', description: 'Experiment code; optional while there is one experiment' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,40}$/)
  experiment?: string;

  @ApiPropertyOptional({
    example: '12345678',
    description: 'AGB code of the practice; required for an evaluator, optional for a practice user with one practice',
  })
  @IsOptional()
  @Matches(/^\d{8}$/, { message: 'practice: een AGB-code van precies 8 cijfers' })
  practice?: string;

  @ApiPropertyOptional({
    example: 'P-00',
    description: "Search: the practice's own reference (case-insensitive, anywhere in it) or the pseudonym (case-insensitive, its beginning)",
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Reveals('ref')
  q?: string;

  @ApiPropertyOptional({
    enum: RECORD_STATUSES,
    description: 'active: no end date, or an end date of today or later; ended: an end date before today',
  })
  @IsOptional()
  @IsIn(RECORD_STATUSES)
  status?: RecordStatus;

  @ApiPropertyOptional({ enum: ARMS })
  @IsOptional()
  @IsIn(ARMS)
  arm?: Arm;

  @ApiPropertyOptional({ example: '3311', description: 'UZOVI code' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'insurer: een UZOVI-code van precies 4 cijfers' })
  insurer?: string;

  @ApiPropertyOptional({ enum: [2, 3, 4] })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @IsIn([2, 3, 4])
  @Reveals('goldStage')
  goldStage?: number;

  @ApiPropertyOptional({ type: Boolean, description: `true: only patients with at least one problem (${PROBLEMS_TEXT})` })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  @Reveals('sessions')
  attention?: boolean;

  @ApiPropertyOptional({ enum: RECORD_SORTS, default: 'ref', description: 'Sorted on the server; ties by id' })
  @IsOptional()
  @IsIn(RECORD_SORTS)
  @Reveals('sessions')
  sort: RecordSort = 'ref';

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'asc', description: 'Empty values (no session, nothing due) come last either way' })
  @IsOptional()
  @IsIn(SORT_ORDERS)
  order: 'asc' | 'desc' = 'asc';
}

@ClosedSchema('The next measurement of an active enrolment: the open or upcoming window that closes first')
export class NextDueDto {
  @ApiProperty({ enum: WORKLIST_INSTRUMENTS, description: 'SIX_MWT, or CCQ_OR_CAT (a CCQ or a CAT, either counts)' })
  instrument!: WorklistInstrument;
  @ApiProperty({ enum: MEASUREMENT_MILESTONES }) milestone!: MeasurementMilestone;
  @ApiProperty({ example: '2026-11-10' }) windowStart!: string;
  @ApiProperty({ example: '2026-12-22' }) windowEnd!: string;
  @ApiProperty({ enum: DUE_STATUSES, description: 'As on the worklist: DUE open, CLOSING open and closing within 14 days, UPCOMING opening within 14 days' })
  status!: (typeof DUE_STATUSES)[number];
}

@ClosedSchema('One row of the patient list, judged on today (Europe/Amsterdam)')
export class PatientRecordRowDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'P-0001' }) ref!: string;
  @ApiProperty({ example: 'P-3F2A9C0D1E4B5A67' }) pseudonym!: string;
  @ApiProperty({ example: '12345678' }) practice!: string;
  @ApiProperty({ example: '3311' }) insurer!: string;
  @ApiProperty({ enum: ARMS }) arm!: Arm;
  @ApiProperty({ example: 3 }) goldStage!: number;
  @ApiProperty({ example: '2026-09-01' }) intakeDate!: string;
  @ApiProperty({ nullable: true, type: String }) endDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) endReason!: string | null;
  @ApiProperty({ description: 'Care quarters started up to today: Q1 and every later quarter with a session (DOMAIN.md 5)' })
  careQuarters!: number;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-18' }) lastSession!: string | null;
  @ApiProperty(nullableRef(NextDueDto, 'null when nothing is due or upcoming within 14 days, or the enrolment has ended'))
  nextDue!: NextDueDto | null;
  @ApiProperty({ enum: PATIENT_PROBLEMS, isArray: true, description: PROBLEMS_TEXT }) problems!: PatientProblem[];
}

@ClosedSchema()
export class PatientRecordPageDto {
  @ApiProperty({ type: [PatientRecordRowDto] }) items!: PatientRecordRowDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
  @ApiProperty({ example: '2026-11-20', description: 'The day the rows are judged on: today in Europe/Amsterdam' }) today!: string;
}

@ClosedSchema(
  'A session, measurement or event of the record. SESSION carries sessionKind; MEASUREMENT instrument, value (in its unit: CCQ 1.6) and window; EVENT eventKind.',
)
export class TimelineEntryDto {
  @ApiProperty({ enum: ['SESSION', 'MEASUREMENT', 'EVENT'] }) kind!: 'SESSION' | 'MEASUREMENT' | 'EVENT';
  @ApiProperty() id!: string;
  @ApiProperty({ example: '2026-09-03' }) date!: string;
  @ApiPropertyOptional({ enum: ['INDIVIDUAL', 'HOME', 'GROUP', 'REMOTE'] }) sessionKind?: string;
  @ApiPropertyOptional({ enum: ['SIX_MWT', 'CCQ', 'CAT', 'MMRC', 'STEPS'] }) instrument?: string;
  @ApiPropertyOptional({ example: 420 }) value?: number;
  @ApiPropertyOptional({
    enum: MEASUREMENT_WINDOW_LABELS,
    description: 'The DOMAIN.md 6 window the date falls in, relative to the intake; NONE: outside every window, counted in no indicator',
  })
  window?: MeasurementWindowLabel;
  @ApiPropertyOptional({ enum: ['EXACERBATION_MODERATE', 'EXACERBATION_SEVERE', 'HOSPITAL_ADMISSION', 'DEATH'] }) eventKind?: string;
}

@ClosedSchema('A care quarter started up to today (sessions up to today), with its amounts as GET /patients/{id}/pricing gives them: priced on the analysis date')
export class RecordCareQuarterDto {
  @ApiProperty({ example: 1, description: '1 = the quarter of the intake' }) index!: number;
  @ApiProperty({ example: '2025-02-10' }) start!: string;
  @ApiProperty({ example: '2025-05-09', description: 'Its last day (inclusive): the day before the next quarter starts' }) end!: string;
  @ApiProperty({ example: 4, description: 'Sessions in the quarter up to today' }) sessions!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: "Under the patient's arm, euro cents, as of the analysis date; null when the quarter starts after the analysis date, or when an item of it has no contract in force to price it",
  })
  paidCents!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Under the other arm, euro cents; null as paidCents' })
  counterfactualCents!: number | null;
  @ApiProperty({ description: 'Its last day is before or on today: no more care can fall in it' }) complete!: boolean;
}

@ClosedSchema()
export class RecordWindowDto {
  @ApiProperty({ enum: MEASUREMENT_MILESTONES }) milestone!: MeasurementMilestone;
  @ApiProperty({ example: '2026-08-02' }) windowStart!: string;
  @ApiProperty({ example: '2026-09-15' }) windowEnd!: string;
  @ApiProperty({ example: '2026-09-01' }) target!: string;
}

@ClosedSchema('One patient\'s record: the enrolment, what was recorded, the care quarters and the data problems')
export class PatientRecordDto {
  @ApiProperty({ example: '2026-11-20', description: 'Today in Europe/Amsterdam: the care quarters so far, problems and windows are judged on it' })
  today!: string;
  @ApiProperty({ example: '2026-09-30', description: "The experiment's analysis date, which the indicators and the care quarters' amounts use" })
  analysisDate!: string;
  @ApiProperty({ type: PatientDto }) patient!: PatientDto;
  @ApiProperty({ nullable: true, type: String, example: 'Verzekeraar 3311' }) insurerName!: string | null;
  @ApiProperty({ type: [TimelineEntryDto], description: 'Date ascending; on one day sessions, then measurements, then events' })
  timeline!: TimelineEntryDto[];
  @ApiProperty({ type: [RecordCareQuarterDto], description: 'The care quarters (Q1 and quarters with a session) started up to today' })
  careQuarters!: RecordCareQuarterDto[];
  @ApiProperty({ enum: PATIENT_PROBLEMS, isArray: true, description: PROBLEMS_TEXT }) problems!: PatientProblem[];
  @ApiProperty({ type: [RecordWindowDto], description: 'The DOMAIN.md 6 measurement windows of the intake' }) windows!: RecordWindowDto[];
}
