import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ARMS, END_REASONS, SEXES, type Arm, type EndReason, type Sex } from '@copd/domain';
import { IsIsoDate } from '../../../core/http/is-iso-date.decorator';
import { ClosedSchema } from '../../../core/http/closed-schema';
import { PageQuery } from '../../../core/http/paging';
import { Reveals } from '../../../core/actor/field-visibility';

// OpenAPI 3.0.3: `nullable` does not add null to an enum, so null is listed among the values.
const END_REASON_OR_NULL = [...END_REASONS, null];

/**
 * Shape only. Eligibility (age >= 18, GOLD >= 2, profile 1-6, a contract in force at intake, referral <= intake,
 * end reason with end date) is the domain's, so one 422 lists every reason at once.
 */
export class CreatePatientDto {
  @ApiPropertyOptional({
    example: 'COPD-2025',
    description: 'Experiment code; may be omitted when there is exactly one',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'experiment: een experimentcode' })
  experiment?: string;

  @ApiProperty({ example: '12345678', description: 'AGB code of the practice' })
  @Matches(/^\d{8}$/, { message: 'practice: een AGB-code van precies 8 cijfers' })
  practice!: string;

  @ApiProperty({ example: '3311', description: 'UZOVI code of the insurer' })
  @Matches(/^\d{4}$/, { message: 'insurer: een UZOVI-code van precies 4 cijfers' })
  insurer!: string;

  @ApiProperty({ example: 'P-0001', description: "The practice's own patient reference (no name, no BSN)" })
  @IsString()
  @Length(1, 64)
  ref!: string;

  @ApiPropertyOptional({
    example: '123456782',
    description:
      'BSN, optional: checked with the 11-proef, turned into a keyed HMAC and dropped. Never stored or returned.',
    writeOnly: true,
  })
  @IsOptional()
  @IsString({ message: 'bsn: een BSN als tekst (9 cijfers)' })
  @Length(8, 14, { message: 'bsn: een BSN heeft 9 cijfers' })
  bsn?: string;

  @ApiProperty({ example: 1956 })
  @IsInt()
  birthYear!: number;

  @ApiProperty({ enum: SEXES, example: 'F' })
  @IsIn(SEXES)
  sex!: Sex;

  @ApiProperty({ example: 3, description: 'Spirometric GOLD stage (eligible: 2, 3 or 4)' })
  @IsInt()
  goldStage!: number;

  @ApiProperty({ example: 4, description: 'KNGF profile 1-6' })
  @IsInt()
  profile!: number;

  @ApiProperty({ example: '2025-01-27' })
  @IsIsoDate()
  referralDate!: string;

  @ApiProperty({ example: '2025-02-10' })
  @IsIsoDate()
  intakeDate!: string;

  @ApiPropertyOptional({ example: '2025-12-31', nullable: true, type: String })
  @IsOptional()
  @IsIsoDate()
  endDate?: string | null;

  @ApiPropertyOptional({ enum: END_REASON_OR_NULL, nullable: true, example: 'COMPLETED' })
  @IsOptional()
  @IsIn(END_REASONS)
  endReason?: EndReason | null;
}

/**
 * Experiment, practice, insurer and ref identify the enrolment (and its pseudonym) and are fixed: a change of insurer
 * ends the enrolment and care after it is a new one. Send null for endDate/endReason to clear them.
 */
export class UpdatePatientDto extends PartialType(
  OmitType(CreatePatientDto, ['experiment', 'practice', 'insurer', 'ref'] as const),
) {
  @ApiPropertyOptional({
    example: 'Verkeerde intakedatum ingevoerd',
    minLength: 3,
    maxLength: 500,
    description:
      'Why the enrolment is corrected (3-500 characters after trimming), kept in the audit log. Required for every ' +
      'change except the normal ending: only endDate and endReason, on an enrolment without an end yet.',
  })
  // Checked by correctionReason() in the service, which knows whether this change is a normal ending.
  @IsOptional()
  reason?: string;
}

export class PatientQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'COPD-2025' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,40}$/)
  experiment?: string;

  @ApiPropertyOptional({ example: '12345678', description: 'AGB code' })
  @IsOptional()
  @Matches(/^\d{8}$/, { message: 'practice: een AGB-code van precies 8 cijfers' })
  practice?: string;

  @ApiPropertyOptional({ example: '3311', description: 'UZOVI code' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'insurer: een UZOVI-code van precies 4 cijfers' })
  insurer?: string;

  @ApiPropertyOptional({ enum: ARMS })
  @IsOptional()
  @IsIn(ARMS)
  arm?: Arm;

  @ApiPropertyOptional({ example: 3 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Reveals('goldStage')
  goldStage?: number;

  @ApiPropertyOptional({ example: 4 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Reveals('profile')
  profile?: number;

  @ApiPropertyOptional({ example: '2025-01-01', description: 'Intake on or after (inclusive)' })
  @IsOptional()
  @IsIsoDate()
  @Reveals('intakeDate')
  intakeFrom?: string;

  @ApiPropertyOptional({ example: '2025-12-31', description: 'Intake on or before (inclusive)' })
  @IsOptional()
  @IsIsoDate()
  @Reveals('intakeDate')
  intakeTo?: string;

  @ApiPropertyOptional({ example: 'P-0001', description: "The practice's reference, exact" })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Reveals('ref')
  ref?: string;
}

@ClosedSchema('A patient as the evaluator and the own practice see it. Insurers receive InsurerPatientDto instead.')
export class PatientDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'P-3F2A9C0D1E4B5A67' }) pseudonym!: string;
  @ApiProperty({ example: 'P-0001' }) ref!: string;
  @ApiProperty({ example: 'COPD-2025' }) experiment!: string;
  @ApiProperty({ example: '12345678' }) practice!: string;
  @ApiProperty({ example: '3311' }) insurer!: string;
  @ApiProperty({
    enum: ARMS,
    example: 'BUNDLE',
    description: 'Arm of the contract in force on the intake date',
  })
  arm!: Arm;
  @ApiProperty({ example: 1956 }) birthYear!: number;
  @ApiProperty({ enum: SEXES, example: 'F' }) sex!: Sex;
  @ApiProperty({ example: 3 }) goldStage!: number;
  @ApiProperty({ example: 4 }) profile!: number;
  @ApiProperty({ example: '2025-01-27' }) referralDate!: string;
  @ApiProperty({ example: '2025-02-10' }) intakeDate!: string;
  @ApiProperty({ example: null, nullable: true, type: String }) endDate!: string | null;
  @ApiProperty({ enum: END_REASON_OR_NULL, nullable: true, example: null }) endReason!: EndReason | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

/**
 * What an INSURER sees of its insured: pseudonym, experiment, practice, insurer, arm and the enrolment period its
 * costs run over. No practice reference (it identifies the person at the practice) and no clinical detail: no
 * birth year, sex, GOLD stage, profile, referral date or end reason. Costs come from /patients/:id/pricing and
 * /patients/:id/facts.
 */
@ClosedSchema(
  "A patient as its insurer sees it: no practice reference and no clinical detail (birth year, sex, GOLD stage, " +
    'profile, referral date, end reason). Costs come from /api/v1/patients/{id}/pricing and /api/v1/patients/{id}/facts.',
)
export class InsurerPatientDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'P-3F2A9C0D1E4B5A67' }) pseudonym!: string;
  @ApiProperty({ example: 'COPD-2025' }) experiment!: string;
  @ApiProperty({ example: '12345678' }) practice!: string;
  @ApiProperty({ example: '3311' }) insurer!: string;
  @ApiProperty({ enum: ARMS, example: 'BUNDLE', description: 'Arm of the contract in force on the intake date' })
  arm!: Arm;
  @ApiProperty({ example: '2025-02-10' }) intakeDate!: string;
  @ApiProperty({ example: null, nullable: true, type: String }) endDate!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

/** A patient as the actor may see it: the insurer's view for an INSURER, the full one for everyone else. */
export type PatientView = PatientDto | InsurerPatientDto;
