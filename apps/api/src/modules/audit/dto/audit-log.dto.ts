import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
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

  @ApiPropertyOptional({ enum: ['SUCCESS', 'FAILURE', 'DENIED'] })
  @IsOptional()
  @IsIn(['SUCCESS', 'FAILURE', 'DENIED'])
  outcome?: 'SUCCESS' | 'FAILURE' | 'DENIED';

  @ApiPropertyOptional({ example: '2025-09-01T00:00:00Z', description: 'At or after (ISO 8601 date or timestamp)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ example: '2025-10-01T00:00:00Z', description: 'Before (ISO 8601 date or timestamp)' })
  @IsOptional()
  @IsISO8601()
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
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Before (ISO 8601)' })
  @IsOptional()
  @IsISO8601()
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
  @ApiProperty({ nullable: true, type: String }) patientPseudonym!: string | null;
  @ApiProperty({ enum: ['SUCCESS', 'FAILURE', 'DENIED'] }) outcome!: string;
}

export class AuditEntryDto extends PatientAccessDto {
  @ApiProperty() resourceType!: string;
  @ApiProperty({ nullable: true, type: String }) resourceId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'IP address, cli or worker' }) source!: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) detail!: Record<string, unknown> | null;
}
