import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsIsoDate } from '../../../core/http/is-iso-date.decorator';

export class CreateExperimentDto {
  @ApiProperty({ example: 'COPD-2025', description: 'Short unique code (letters, digits, . _ -)' })
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'code: 1-40 letters, cijfers, punt, streep of liggend streepje' })
  code!: string;

  @ApiProperty({ example: 'Experiment bundelbekostiging COPD' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ example: 'BR/REG-25147' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  policyReference?: string;

  @ApiProperty({ example: '2025-01-01' })
  @IsIsoDate()
  start!: string;

  @ApiProperty({ example: '2029-12-31' })
  @IsIsoDate()
  end!: string;

  @ApiPropertyOptional({ example: '2025-09-30', description: 'As-of date of every indicator; defaults to today (Europe/Amsterdam)' })
  @IsOptional()
  @IsIsoDate()
  analysisDate?: string;
}

export class UpdateExperimentDto extends PartialType(CreateExperimentDto) {}

/** The evaluator's change of the analysis date (PUT /experiments/:id/analysis-date): audited with its reason. */
export class SetAnalysisDateDto {
  @ApiProperty({ example: '2026-09-30', description: 'The new as-of date of every indicator; between the experiment start and any later date' })
  @IsIsoDate()
  analysisDate!: string;

  @ApiProperty({
    example: 'Peildatum van de monitoringrapportage Q3 2026',
    minLength: 5,
    maxLength: 500,
    description: 'Why the date changes (5-500 characters after trimming); kept in the audit log',
  })
  // Spaces around the reason count for nothing: "     " is no reason.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  // One message for a missing, non-text, too short or too long reason (Length refuses a non-string too).
  @Length(5, 500, { message: 'reason: geef de reden van de wijziging, 5 tot 500 tekens' })
  reason!: string;
}

export class ExperimentDto {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) policyReference!: string | null;
  @ApiProperty({ example: '2025-01-01' }) start!: string;
  @ApiProperty({ example: '2029-12-31' }) end!: string;
  @ApiProperty({ example: '2025-09-30' }) analysisDate!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
