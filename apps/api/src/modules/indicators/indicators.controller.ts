import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { ComparisonQueryDto, ExperimentQueryDto, RecomputeRequestDto } from './dto/comparison-query.dto';
import { IndicatorsService } from './indicators.service';

@ApiTags('indicators')
@ApiProblems()
@Controller('api/v1')
export class IndicatorsController {
  constructor(private readonly service: IndicatorsService) {}

  @Get('indicators/comparison')
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  comparison(@CurrentActor() actor: Actor, @Query() query: ComparisonQueryDto) {
    return this.service.comparison(actor, query);
  }

  @Get('indicators/status')
  @Allow('EVALUATOR')
  status(@CurrentActor() actor: Actor, @Query() query: ExperimentQueryDto) {
    return this.service.status(actor, query.experiment);
  }

  @Post('indicators/recompute')
  @Allow('EVALUATOR')
  @HttpCode(202)
  recompute(@CurrentActor() actor: Actor, @Body() body: RecomputeRequestDto) {
    return this.service.requestRecompute(actor, body.experiment);
  }

  @Get('indicators/jobs/:jobId')
  @Allow('EVALUATOR')
  job(@CurrentActor() actor: Actor, @Param('jobId') jobId: string) {
    return this.service.job(actor, jobId);
  }

  @Get('patients/:id/facts')
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  patientFacts(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string) {
    return this.service.patientFacts(actor, id);
  }
}
