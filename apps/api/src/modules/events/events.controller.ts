import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiPage, ApiProblems } from '../../core/http/api-docs';
import { CreateEventDto, EventDto, EventQuery } from './dto/event.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiProblems()
@Controller('api/v1')
export class EventsController {
  constructor(private readonly service: EventsService) {}

  @Get('patients/:patientId/events')
  @Allow('EVALUATOR', 'PRACTICE')
  @ApiPage(EventDto)
  list(
    @CurrentActor() actor: Actor,
    @Param('patientId', ParseUUIDPipe) patientId: string,
    @Query() query: EventQuery,
  ) {
    return this.service.list(actor, patientId, query);
  }

  @Post('patients/:patientId/events')
  @Allow('PRACTICE')
  @ApiCreatedResponse({ type: EventDto, description: 'Recorded' })
  @ApiOkResponse({ type: EventDto, description: 'Already recorded with the same key: nothing changed' })
  async record(
    @CurrentActor() actor: Actor,
    @Param('patientId', ParseUUIDPipe) patientId: string,
    @Body() dto: CreateEventDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EventDto> {
    const result = await this.service.record(actor, patientId, dto);
    res.status(result.created ? 201 : 200);
    return result.item;
  }

  @Delete('events/:id')
  @Allow('PRACTICE')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
