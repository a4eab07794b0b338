import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { ExportQuery } from './dto/exchange.dto';
import type { ExchangeDocument, ImportResult } from './exchange-document';
import { EXCHANGE_DOCUMENT_SCHEMA } from './exchange-schema';
import { ExchangeService } from './exchange.service';

const { $id: _id, ...DOCUMENT_SCHEMA } = EXCHANGE_DOCUMENT_SCHEMA;

@ApiTags('experiment-data')
@ApiProblems()
@Controller('api/v1/experiment-data')
export class ExchangeController {
  constructor(private readonly service: ExchangeService) {}

  /** All-or-nothing import of an exchange document (DOMAIN.md 8); 422 lists every error with its JSON path. */
  @Post()
  @Allow('EVALUATOR')
  @HttpCode(200)
  @ApiBody({ description: 'Exchange document (DOMAIN.md section 8)', schema: DOCUMENT_SCHEMA as object })
  @ApiOkResponse({ description: 'Per entity: created, updated, unchanged' })
  import(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<ImportResult> {
    return this.service.importDocument(actor, body);
  }

  @Get()
  @Allow('EVALUATOR')
  @ApiOkResponse({ description: 'Exchange document of the experiment, in stable order', schema: DOCUMENT_SCHEMA as object })
  export(@CurrentActor() actor: Actor, @Query() query: ExportQuery): Promise<ExchangeDocument> {
    return this.service.exportDocument(actor, query.experiment);
  }
}
