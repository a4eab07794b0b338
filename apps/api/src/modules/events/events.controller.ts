import { Body, Controller, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ReasonDto } from '../../core/audit/correction-reason';
import { ApiProblems } from '../../core/http/api-docs';
import { DeleteRoute, IdParam, ListRoute, UpdateRoute } from '../../core/http/crud-routes';
import { CreateEventDto, EventDto, EventQuery, UpdateEventDto } from './dto/event.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiProblems()
@Controller('api/v1')
export class EventsController {
  constructor(private readonly service: EventsService) {}

  @ListRoute({ roles: ['EVALUATOR', 'PRACTICE'], item: EventDto, path: 'patients/:patientId/events' })
  list(@CurrentActor() actor: Actor, @IdParam('patientId') patientId: string, @Query() query: EventQuery) {
    return this.service.list(actor, patientId, query);
  }

  @Post('patients/:patientId/events')
  @Allow('PRACTICE')
  @ApiCreatedResponse({ type: EventDto, description: 'Recorded' })
  @ApiOkResponse({ type: EventDto, description: 'Already recorded with the same key: nothing changed' })
  async record(
    @CurrentActor() actor: Actor,
    @IdParam('patientId') patientId: string,
    @Body() dto: CreateEventDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EventDto> {
    const result = await this.service.record(actor, patientId, dto);
    res.status(result.created ? 201 : 200);
    return result.item;
  }

  @UpdateRoute({ roles: ['PRACTICE'], type: EventDto, description: 'Corrected (the reason is kept in the audit log)', path: 'events/:id' })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() dto: UpdateEventDto): Promise<EventDto> {
    return this.service.update(actor, id, dto);
  }

  @DeleteRoute({ roles: ['PRACTICE'], description: 'Deleted (the reason is kept in the audit log)', path: 'events/:id' })
  @ApiBody({ type: ReasonDto })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: ReasonDto): Promise<void> {
    return this.service.remove(actor, id, body.reason);
  }
}
