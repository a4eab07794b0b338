import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow, ANY_ROLE } from '../../core/auth/route-policy';
import { ApiPage, ApiProblems } from '../../core/http/api-docs';
import { PageQuery } from '../../core/http/paging';
import { CreateExperimentDto, ExperimentDto, UpdateExperimentDto } from './dto/experiment.dto';
import { ExperimentsService } from './experiments.service';

@ApiTags('experiments')
@ApiProblems()
@Controller('api/v1/experiments')
export class ExperimentsController {
  constructor(private readonly service: ExperimentsService) {}

  @Get()
  @Allow(...ANY_ROLE)
  @ApiPage(ExperimentDto)
  list(@CurrentActor() actor: Actor, @Query() query: PageQuery) {
    return this.service.list(actor, query);
  }

  @Get(':id')
  @Allow(...ANY_ROLE)
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ExperimentDto> {
    return this.service.get(actor, id);
  }

  @Post()
  @Allow('EVALUATOR')
  create(@CurrentActor() actor: Actor, @Body() dto: CreateExperimentDto): Promise<ExperimentDto> {
    return this.service.create(actor, dto);
  }

  @Patch(':id')
  @Allow('EVALUATOR')
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateExperimentDto,
  ): Promise<ExperimentDto> {
    return this.service.update(actor, id, dto);
  }

  @Delete(':id')
  @Allow('EVALUATOR')
  @HttpCode(204)
  remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
