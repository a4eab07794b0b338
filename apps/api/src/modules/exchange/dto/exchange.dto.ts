import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class ExportQuery {
  @ApiPropertyOptional({ example: 'COPD-DEMO', description: 'Experiment code; may be omitted when exactly one experiment exists' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'experiment: 1-40 letters, cijfers, punt, streep of liggend streepje' })
  experiment?: string;
}
