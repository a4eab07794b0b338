import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { Actor } from '../../../core/actor/actor';
import { CurrentActor } from '../../../core/actor/current-actor.decorator';
import { Allow } from '../../../core/auth/route-policy';
import { ApiProblems } from '../../../core/http/api-docs';
import { FhirExportService } from './fhir-export.service';

export class FhirExportQuery {
  @ApiPropertyOptional({ example: '01234567', description: 'AGB of one practice; a practice user gets its own by default' })
  @IsOptional()
  @Matches(/^[0-9]{8}$/, { message: 'practice: een AGB-code van 8 cijfers' })
  practice?: string;

  @ApiPropertyOptional({ example: 'COPD-DEMO', description: 'Experiment code; may be omitted when exactly one experiment exists' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'experiment: 1-40 letters, cijfers, punt, streep of liggend streepje' })
  experiment?: string;

  @ApiPropertyOptional({ enum: ['ndjson', 'bundles'], description: 'ndjson (default): one resource per line for the lot; bundles: a zip with one Bundle per patient' })
  @IsOptional()
  @IsIn(['ndjson', 'bundles'], { message: 'format: ndjson of bundles' })
  format?: 'ndjson' | 'bundles';
}

@ApiTags('imports')
@ApiProblems()
@Controller('api/v1')
export class FhirExportController {
  constructor(private readonly service: FhirExportService) {}

  @Get('exports/fhir')
  @Allow('EVALUATOR', 'PRACTICE')
  @ApiProduces('application/fhir+ndjson', 'application/zip')
  @ApiOkResponse({ description: 'FHIR R4 of the experiment (evaluator: a practice or all; practice: its own): NDJSON, or a zip of one Bundle per patient; imports again unchanged' })
  async export(@CurrentActor() actor: Actor, @Query() query: FhirExportQuery, @Res() res: Response): Promise<void> {
    const out = await this.service.export(actor, query);
    res.status(200).setHeader('Content-Type', out.format === 'ndjson' ? 'application/fhir+ndjson' : 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${out.fileName.replace(/[^\w.-]/g, '_')}"`);
    res.send(out.body);
  }
}
