import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IdParam } from '../../core/http/crud-routes';
import { ApiAcceptedResponse, ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { ComparisonDto } from './dto/comparison.dto';
import { ComparisonQueryDto, ExperimentQueryDto, RecomputeRequestDto } from './dto/comparison-query.dto';
import {
  IndicatorJobDto,
  IndicatorStatusDto,
  RecomputeAnswerDto,
  RecomputeNotQueuedDto,
  RecomputeQueuedDto,
} from './dto/indicator-jobs.dto';
import {
  toComparisonDto,
  toIndicatorJobDto,
  toIndicatorStatusDto,
  toPatientFactsDto,
  toRecomputeAnswerDto,
} from './dto/indicators.mapper';
import { PatientFactsDto } from './dto/patient-facts.dto';
import { IndicatorsService } from './indicators.service';

@ApiTags('indicators')
@ApiProblems()
@Controller('api/v1')
export class IndicatorsController {
  constructor(private readonly service: IndicatorsService) {}

  @Get('indicators/comparison')
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  @ApiOkResponse({ type: ComparisonDto })
  async comparison(@CurrentActor() actor: Actor, @Query() query: ComparisonQueryDto): Promise<ComparisonDto> {
    return toComparisonDto(await this.service.comparison(actor, query));
  }

  @Get('indicators/status')
  @Allow('EVALUATOR')
  @ApiOkResponse({ type: IndicatorStatusDto })
  async status(@CurrentActor() actor: Actor, @Query() query: ExperimentQueryDto): Promise<IndicatorStatusDto> {
    return toIndicatorStatusDto(await this.service.status(actor, query.experiment));
  }

  @Post('indicators/recompute')
  @Allow('EVALUATOR')
  @HttpCode(202)
  @ApiExtraModels(RecomputeQueuedDto, RecomputeNotQueuedDto)
  @ApiAcceptedResponse({
    description: 'The recompute is recorded; queued says whether the queue took its job now',
    schema: { oneOf: [{ $ref: getSchemaPath(RecomputeQueuedDto) }, { $ref: getSchemaPath(RecomputeNotQueuedDto) }] },
  })
  async recompute(@CurrentActor() actor: Actor, @Body() body: RecomputeRequestDto): Promise<RecomputeAnswerDto> {
    return toRecomputeAnswerDto(await this.service.requestRecompute(actor, body.experiment));
  }

  @Get('indicators/jobs/:jobId')
  @Allow('EVALUATOR')
  @ApiOkResponse({ type: IndicatorJobDto })
  async job(@CurrentActor() actor: Actor, @Param('jobId') jobId: string): Promise<IndicatorJobDto> {
    return toIndicatorJobDto(await this.service.job(actor, jobId));
  }

  @Get('patients/:id/facts')
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  @ApiOkResponse({ type: PatientFactsDto })
  async patientFacts(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<PatientFactsDto> {
    return toPatientFactsDto(await this.service.patientFacts(actor, id));
  }
}
