import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
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
