import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';

export class TemplateQuery {
  @ApiPropertyOptional({ enum: ['nl', 'en'], description: 'Language of the headers and of the example row (default nl)' })
  @IsOptional()
  @IsIn(['nl', 'en'])
  lang?: 'nl' | 'en';
}

export class CsvExportQuery extends TemplateQuery {
  @ApiPropertyOptional({ example: '01234567', description: "AGB of one practice; a practice user gets its own by default" })
  @IsOptional()
  @Matches(/^[0-9]{8}$/, { message: 'practice: een AGB-code van 8 cijfers' })
  practice?: string;

  @ApiPropertyOptional({ example: 'COPD-DEMO', description: 'Experiment code; may be omitted when exactly one experiment exists' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'experiment: 1-40 letters, cijfers, punt, streep of liggend streepje' })
  experiment?: string;
}
