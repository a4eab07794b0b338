import { Body, Controller, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { ReasonDto } from '../../core/audit/correction-reason';
import { DeleteRoute, IdParam, ListRoute, UpdateRoute } from '../../core/http/crud-routes';
import { SessionBatchPipe } from './dto/session-batch.pipe';
import { CreateSessionDto, SessionBatchResultDto, SessionDto, SessionQuery, UpdateSessionDto } from './dto/session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiProblems()
@Controller('api/v1')
export class SessionsController {
  constructor(private readonly service: SessionsService) {}

  @ListRoute({ roles: ['EVALUATOR', 'PRACTICE'], item: SessionDto, path: 'patients/:patientId/sessions' })
  list(@CurrentActor() actor: Actor, @IdParam('patientId') patientId: string, @Query() query: SessionQuery) {
    return this.service.list(actor, patientId, query);
  }

  @Post('patients/:patientId/sessions')
  @Allow('PRACTICE')
  @ApiCreatedResponse({ type: SessionDto, description: 'Recorded' })
  @ApiOkResponse({ type: SessionDto, description: 'Already recorded with the same key: nothing changed' })
  async record(
    @CurrentActor() actor: Actor,
    @IdParam('patientId') patientId: string,
    @Body() dto: CreateSessionDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionDto> {
    const result = await this.service.record(actor, patientId, dto);
    res.status(result.created ? 201 : 200);
    return result.item;
  }

  @Post('patients/:patientId/sessions/batch')
  @Allow('PRACTICE')
  @ApiBody({ type: [CreateSessionDto] })
  @ApiCreatedResponse({
    type: SessionBatchResultDto,
    description: 'At least one session recorded; all or nothing',
  })
  @ApiOkResponse({
    type: SessionBatchResultDto,
    description: 'Every session was already recorded: nothing changed',
  })
  async recordBatch(
    @CurrentActor() actor: Actor,
    @IdParam('patientId') patientId: string,
    @Body(SessionBatchPipe) items: CreateSessionDto[],
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionBatchResultDto> {
    const result = await this.service.recordBatch(actor, patientId, items);
    res.status(result.created ? 201 : 200);
    return result.item;
  }

  @UpdateRoute({ roles: ['PRACTICE'], type: SessionDto, description: 'Corrected (the reason is kept in the audit log)', path: 'sessions/:id' })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() dto: UpdateSessionDto): Promise<SessionDto> {
    return this.service.update(actor, id, dto);
  }

  @DeleteRoute({ roles: ['PRACTICE'], description: 'Deleted (the reason is kept in the audit log)', path: 'sessions/:id' })
  @ApiBody({ type: ReasonDto })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: ReasonDto): Promise<void> {
    return this.service.remove(actor, id, body.reason);
  }
}
