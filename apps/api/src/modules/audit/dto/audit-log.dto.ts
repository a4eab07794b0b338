import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsIsoDateOrTimestamp } from '../../../core/http/is-iso-date.decorator';
import { PageQuery } from '../../../core/http/paging';

export class AuditLogQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'P-3F2A9C0D1E4B5A67', description: 'Patient pseudonym, exact' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  patient?: string;

  @ApiPropertyOptional({ example: 'evaluator', description: 'Who acted (username, cli:<operator>, api-token:<prefix>), exact' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  user?: string;

  @ApiPropertyOptional({ example: 'patient.read', description: 'Action, exact' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  action?: string;

  @ApiPropertyOptional({ enum: ['SUCCESS', 'FAILURE', 'DENIED', 'NOT_FOUND'] })
  @IsOptional()
  @IsIn(['SUCCESS', 'FAILURE', 'DENIED', 'NOT_FOUND'])
  outcome?: 'SUCCESS' | 'FAILURE' | 'DENIED' | 'NOT_FOUND';

  @ApiPropertyOptional({ example: '2025-09-01T00:00:00Z', description: 'At or after (ISO 8601 date or timestamp)' })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  from?: string;

  @ApiPropertyOptional({ example: '2025-10-01T00:00:00Z', description: 'Before (ISO 8601 date or timestamp)' })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  to?: string;
}

export class MyPatientsAuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Patient pseudonym, exact' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  patient?: string;

  @ApiPropertyOptional({ description: 'Who acted, exact' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  user?: string;

  @ApiPropertyOptional({ description: 'At or after (ISO 8601)' })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  from?: string;

  @ApiPropertyOptional({ description: 'Before (ISO 8601)' })
  @IsOptional()
  @IsIsoDateOrTimestamp()
  to?: string;
}

/** One access to a practice's own patient, as the practice sees it (no addresses, no details). */
export class PatientAccessDto {
  @ApiProperty() id!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({ example: 'evaluator' }) actor!: string;
  @ApiProperty({ example: 'EVALUATOR' }) role!: string;
  @ApiProperty({ nullable: true, type: String }) organisation!: string | null;
  @ApiProperty({ example: 'patient.read' }) action!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The one patient the action concerned' }) patientPseudonym!: string | null;
  @ApiProperty({
    type: [String],
    description: 'Every patient a list read or export returned (in "my patients": only the practice\'s own)',
  })
  patientPseudonyms!: string[];
  @ApiProperty({ enum: ['SUCCESS', 'FAILURE', 'DENIED', 'NOT_FOUND'] }) outcome!: string;
}

export class AuditEntryDto extends PatientAccessDto {
  @ApiProperty() resourceType!: string;
  @ApiProperty({ nullable: true, type: String }) resourceId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'IP address, cli or worker' }) source!: string | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'Clinical values (GOLD stage, profile, dates, end reason, measurement values) only for evaluators; "[verborgen]" for administrators',
  })
  detail!: Record<string, unknown> | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why a record was corrected or deleted; "[verborgen]" for administrators (it may name clinical values)',
  })
  reason!: string | null;
}
