import { Body, Controller, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { DeleteRoute, IdParam, ListRoute } from '../../core/http/crud-routes';
import { CreateEventDto, EventDto, EventQuery } from './dto/event.dto';
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

  @DeleteRoute({ roles: ['PRACTICE'], description: 'Deleted', path: 'events/:id' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
