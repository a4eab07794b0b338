import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { IdParam } from '../../core/http/crud-routes';
import { ReportQueryDto } from './dto/report-query.dto';
import { reportContentSecurityPolicy } from './report-document';
import { ReportService } from './report.service';

/** The monitoring report of a frozen snapshot, for evaluators (issue 13 item 2). */
@ApiTags('snapshots')
@ApiProblems()
@Allow('EVALUATOR')
@Controller('api/v1/snapshots')
export class ReportController {
  constructor(private readonly service: ReportService) {}

  @Get(':id/report')
  @ApiOperation({
    summary: "The snapshot's monitoring report: one self-contained HTML page or an A4 PDF, Dutch (default) or English",
  })
  @ApiProduces('text/html', 'application/pdf')
  @ApiOkResponse({
    description: 'monitoringsrapportage_<code>_<analysis date>_<short id>.html|pdf (monitoring-report_… in English)',
    schema: { type: 'string', format: 'binary' },
  })
  async report(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @Query() query: ReportQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const report = await this.service.render(actor, id, query);
    // Opened in the browser, the page draws its charts with its own inline scripts and nothing else.
    if (report.format === 'html') response.setHeader('Content-Security-Policy', reportContentSecurityPolicy());
    const disposition = report.format === 'pdf' ? 'attachment' : 'inline';
    return new StreamableFile(report.body, {
      type: report.contentType,
      disposition: `${disposition}; filename="${report.fileName}"`,
      length: report.body.length,
    });
  }
}
