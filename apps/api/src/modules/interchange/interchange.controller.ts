import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { AppError } from '../../core/errors/app-error';
import { problemType } from '../../core/errors/problem-details.filter';
import { detailIn, errorsIn } from '../../core/errors/problem-texts';
import { requestLanguage } from '../../core/errors/request-language';
import { ApiProblems } from '../../core/http/api-docs';
import { CsvExportQuery, TemplateQuery } from './dto/interchange.dto';
import { IMPORT_REPORT_SCHEMA, type ImportReport } from './import-report';
import { InterchangeService, type ImportUpload } from './interchange.service';
import type { UploadRequest } from './multipart-upload';
import type { ReadProgress } from './source-records';

const NDJSON = 'application/x-ndjson';

const UPLOAD_SCHEMA = {
  type: 'object',
  required: ['format', 'files'],
  properties: {
    format: { type: 'string', enum: ['csv', 'fhir'] },
    kind: { type: 'string', enum: ['patients', 'sessions', 'measurements', 'events'], description: 'CSV only' },
    experiment: { type: 'string' },
    mapping: { type: 'string', description: 'JSON: {"practice"?, "insurer"?, "patients"?: {key: {field: value}}}' },
    digest: { type: 'string', description: "confirm: the dry run's digest" },
    reason: { type: 'string', description: 'confirm: why stored data is corrected (needed when the plan has an UPDATE)' },
    files: { type: 'array', items: { type: 'string', format: 'binary' } },
  },
};

@ApiTags('imports')
@ApiProblems()
@Controller('api/v1')
export class InterchangeController {
  constructor(private readonly service: InterchangeService) {}

  /** Dry run of a CSV or FHIR upload: per patient and record what would happen; nothing is written. */
  @Post('imports/dry-run')
  @Allow('EVALUATOR', 'PRACTICE')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_SCHEMA })
  @ApiProduces('application/json', NDJSON)
  @ApiOkResponse({ description: 'The import report; with Accept: application/x-ndjson progress lines, then {"report":...}', schema: IMPORT_REPORT_SCHEMA as object })
  dryRun(@CurrentActor() actor: Actor, @Req() req: UploadRequest, @Res() res: Response): Promise<void> {
    return this.answer(req, res, (lang, progress) => this.service.dryRun(actor, uploadOf(req), lang, progress));
  }

  /** Writes the upload the dry run reported on (same files, mapping and its digest), all or nothing. */
  @Post('imports/confirm')
  @Allow('EVALUATOR', 'PRACTICE')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: UPLOAD_SCHEMA })
  @ApiProduces('application/json', NDJSON)
  @ApiOkResponse({ description: 'The import report with what was written', schema: IMPORT_REPORT_SCHEMA as object })
  confirm(@CurrentActor() actor: Actor, @Req() req: UploadRequest, @Res() res: Response): Promise<void> {
    return this.answer(req, res, (lang, progress) => this.service.confirm(actor, uploadOf(req), lang, progress));
  }

  @Get('imports/templates/:kind')
  @Allow('EVALUATOR', 'PRACTICE')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV template of a kind (patients, sessions, measurements, events) with one example row' })
  template(@Param('kind') kind: string, @Query() query: TemplateQuery, @Res() res: Response): void {
    const lang = query.lang ?? 'nl';
    const csv = this.service.template(kind, lang);
    sendCsv(res, csv, `template-${kind}-${lang}.csv`);
  }

  @Get('exports/csv/:kind')
  @Allow('EVALUATOR', 'PRACTICE')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV of one kind of the experiment (evaluator: a practice or all; practice: its own); imports again unchanged' })
  async exportCsv(@CurrentActor() actor: Actor, @Param('kind') kind: string, @Query() query: CsvExportQuery, @Res() res: Response): Promise<void> {
    const csv = await this.service.exportCsv(actor, kind, query);
    sendCsv(res, csv, `${kind}${query.practice ? `-${query.practice}` : ''}-${query.lang ?? 'nl'}.csv`);
  }

  /**
   * One JSON report, or with Accept: application/x-ndjson a stream: progress lines while reading, checking and
   * writing, then one {"report":...} or {"problem":...} line (the status is 200 once the stream has started).
   */
  private async answer(req: UploadRequest, res: Response, work: (lang: string, progress: ReadProgress) => Promise<ImportReport>): Promise<void> {
    const lang = requestLanguage(req.headers['accept-language']);
    res.setHeader('Content-Language', lang);
    res.setHeader('Vary', 'Accept, Accept-Language');
    if (!(req.headers.accept ?? '').includes(NDJSON)) {
      const report = await work(lang, () => undefined);
      res.status(200).json(report);
      return;
    }
    res.status(200).setHeader('Content-Type', `${NDJSON}; charset=utf-8`);
    let last = '';
    const progress: ReadProgress = (p) => {
      const line = JSON.stringify({ progress: p });
      if (line !== last) res.write(`${line}\n`);
      last = line;
    };
    try {
      const report = await work(lang, progress);
      res.end(`${JSON.stringify({ report })}\n`);
    } catch (error) {
      res.end(`${JSON.stringify({ problem: streamedProblem(error, req.originalUrl, lang) })}\n`);
    }
  }
}

function uploadOf(req: UploadRequest): ImportUpload {
  const fields = req.upload?.fields ?? {};
  return {
    format: fields.format,
    kind: fields.kind,
    experiment: fields.experiment || undefined,
    mapping: fields.mapping,
    digest: fields.digest,
    reason: fields.reason,
    files: req.upload?.files ?? [],
  };
}

function sendCsv(res: Response, csv: string, fileName: string): void {
  res.status(200).setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`);
  res.send(csv);
}

/** The problem document of a failure inside a started stream (as the filter writes it; internals never shown). */
function streamedProblem(error: unknown, instance: string, lang: 'nl' | 'en'): Record<string, unknown> {
  if (error instanceof AppError) {
    const status = { INVALID_REQUEST: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, RULE_VIOLATION: 422 }[error.kind as string] ?? 400;
    const errors = lang === 'nl' ? error.violations : errorsIn(error.violations, lang);
    return {
      type: problemType(error.code),
      status,
      detail: lang === 'nl' ? error.message : detailIn(error.message, lang, errors.length > 0),
      instance,
      code: error.code,
      ...(errors.length > 0 ? { errors } : {}),
    };
  }
  return {
    type: problemType('INTERNAL'),
    status: 500,
    detail: 'Er ging iets mis aan onze kant; er is niets opgeslagen. Probeer het later opnieuw of meld het ons.',
    instance,
    code: 'INTERNAL',
  };
}
