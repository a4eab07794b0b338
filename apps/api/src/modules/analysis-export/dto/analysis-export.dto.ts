import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';

export class AnalysisExportQuery {
  @ApiPropertyOptional({ example: 'COPD-DEMO', description: 'Experiment code; may be omitted when exactly one experiment exists, or when a snapshot is named' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'experiment: 1-40 letters, cijfers, punt, streep of liggend streepje' })
  experiment?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Id of a frozen snapshot; without it the export shows the experiment now' })
  @IsOptional()
  @IsUUID('all', { message: 'snapshot: geen geldig id van een momentopname (een UUID zoals 0b9c3f1e-8d2a-4c6b-9f1e-2a3b4c5d6e7f)' })
  snapshot?: string;
}
