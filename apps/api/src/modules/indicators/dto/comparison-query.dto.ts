import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsInt, IsOptional, IsString, Matches } from 'class-validator';
import { IsIsoDate } from '../../../core/http/is-iso-date.decorator';
import { Reveals } from '../../../core/actor/field-visibility';

/** Accepts `a,b` or repeated parameters (`?x=a&x=b`) for list filters. */
const list = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter(Boolean);
const intList = (args: { value: unknown }) => list(args)?.map((v) => (/^-?\d+$/.test(v) ? Number(v) : v));

export class ComparisonQueryDto {
  @ApiPropertyOptional({ description: 'Experiment code; may be omitted when there is only one', example: 'COPD-DEMO' })
  @IsOptional()
  @IsString()
  experiment?: string;

  @ApiPropertyOptional({ description: 'AGB code(s) of practices, comma-separated', example: '12345678' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @Matches(/^\d{8}$/, { each: true, message: 'practice: AGB-codes van 8 cijfers' })
  practice?: string[];

  @ApiPropertyOptional({ description: 'UZOVI code(s) of insurers, comma-separated', example: '3311' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @Matches(/^\d{4}$/, { each: true, message: 'insurer: UZOVI-codes van 4 cijfers' })
  insurer?: string[];

  @ApiPropertyOptional({ description: 'Region(s) of the practice, comma-separated' })
  @IsOptional()
  @Transform(list)
  @IsArray()
  @IsString({ each: true })
  region?: string[];

  @ApiPropertyOptional({ description: 'GOLD stage(s) 2-4, comma-separated', example: '3,4' })
  @IsOptional()
  @Transform(intList)
  @IsArray()
  @IsInt({ each: true })
  @Reveals('goldStage')
  goldStage?: number[];

  @ApiPropertyOptional({ description: 'KNGF profile(s) 1-6, comma-separated' })
  @IsOptional()
  @Transform(intList)
  @IsArray()
  @IsInt({ each: true })
  @Reveals('profile')
  profile?: number[];

  @ApiPropertyOptional({ description: 'Intake on or after (inclusive)', example: '2025-01-01' })
  @IsOptional()
  @IsIsoDate()
  @Reveals('intakeDate')
  intakeFrom?: string;

  @ApiPropertyOptional({ description: 'Intake on or before (inclusive)', example: '2025-12-31' })
  @IsOptional()
  @IsIsoDate()
  @Reveals('intakeDate')
  intakeTo?: string;
}

export class ExperimentQueryDto {
  @ApiPropertyOptional({ description: 'Experiment code; may be omitted when there is only one' })
  @IsOptional()
  @IsString()
  experiment?: string;
}

export class RecomputeRequestDto {
  @ApiPropertyOptional({ description: 'Experiment code; may be omitted when there is only one' })
  @IsOptional()
  @IsString()
  experiment?: string;
}
