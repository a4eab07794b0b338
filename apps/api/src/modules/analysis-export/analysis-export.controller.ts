import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { AnalysisExportQuery } from './dto/analysis-export.dto';
import { AnalysisExportService } from './analysis-export.service';

@ApiTags('analysis-export')
@ApiProblems()
@Controller('api/v1/analysis-export')
export class AnalysisExportController {
  constructor(private readonly service: AnalysisExportService) {}

  /** Zip of tidy CSV files with their codebook, of the experiment now or of a snapshot (evaluators only: every practice's records). */
  @Get()
  @Allow('EVALUATOR')
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'analyse_<code>_<analysis date>.zip: CSV files (RFC 4180, UTF-8) and codebook.csv / codebook.md', schema: { type: 'string', format: 'binary' } })
  async export(@CurrentActor() actor: Actor, @Query() query: AnalysisExportQuery): Promise<StreamableFile> {
    const file = await this.service.export(actor, query);
    // Nest cuts the connection when the stream fails after the headers, so a truncated zip never looks complete.
    return new StreamableFile(file.stream, { type: 'application/zip', disposition: `attachment; filename="${file.fileName}"` });
  }
}
