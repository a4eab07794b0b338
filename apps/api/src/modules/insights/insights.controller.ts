import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { FiguresOf } from '../../core/actor/field-visibility';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import {
  CompletenessDto,
  CostSeriesDto,
  InsightsQueryDto,
  PeerDistributionDto,
  WaitDaysDto,
  WorklistDto,
  WorklistQueryDto,
} from './dto/insights.dto';
import { InsurerCostsDto, InsurerCostsQueryDto, InsurerPatientsDto, InsurerPatientsQueryDto } from './dto/insurer-costs.dto';
import { InsightsService } from './insights.service';
import { InsurerCostsService } from './insurer-costs.service';

@ApiTags('insights')
@ApiProblems()
/**
 * Roles per route (issue 4 policy, as the indicator comparison: ADMIN manages accounts, not data); which
 * rows each role sees is the actor's scope, applied in the repository. The worklist lists patients, so only
 * the practice (its own) and the evaluator (pseudonymised) may read it; peers and completeness are for the
 * evaluator and the practice, costs also for the insurer (which, as in the comparison, sees no outcomes,
 * volumes or access figures of its insured).
 */
@Controller('api/v1/insights')
export class InsightsController {
  constructor(
    private readonly service: InsightsService,
    private readonly insurer: InsurerCostsService,
  ) {}

  @Get('cost-series')
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  @ApiOperation({ summary: 'Paid and counterfactual per arm and calendar quarter of the care quarter start' })
  @ApiOkResponse({ type: CostSeriesDto })
  costSeries(@CurrentActor() actor: Actor, @Query() query: InsightsQueryDto): Promise<CostSeriesDto> {
    return this.service.costSeries(actor, query);
  }

  @Get('completeness')
  @Allow('EVALUATOR', 'PRACTICE')
  @ApiOperation({ summary: 'Baseline and follow-up completeness per practice, lowest first' })
  @ApiOkResponse({ type: CompletenessDto })
  completeness(@CurrentActor() actor: Actor, @Query() query: InsightsQueryDto): Promise<CompletenessDto> {
    return this.service.completeness(actor, query);
  }

  @Get('wait-days')
  @Allow('EVALUATOR', 'PRACTICE')
  @ApiOperation({ summary: 'Distribution of wait days (intake - referral) per arm, with median and p90' })
  @ApiOkResponse({ type: WaitDaysDto })
  waitDays(@CurrentActor() actor: Actor, @Query() query: InsightsQueryDto): Promise<WaitDaysDto> {
    return this.service.waitDays(actor, query);
  }

  @Get('peer-distribution')
  @Allow('EVALUATOR', 'PRACTICE')
  @FiguresOf('peers')
  @ApiOperation({ summary: "One practice's indicators against the anonymous values of the other practices of its arm" })
  @ApiOkResponse({ type: PeerDistributionDto })
  peerDistribution(@CurrentActor() actor: Actor, @Query() query: InsightsQueryDto): Promise<PeerDistributionDto> {
    return this.service.peerDistribution(actor, query);
  }

  @Get('worklist')
  @Allow('EVALUATOR', 'PRACTICE')
  @ApiOperation({ summary: 'Per patient and instrument, a baseline, 3- or 12-month measurement due, closing, missed or upcoming, judged on today (Europe/Amsterdam)' })
  @ApiOkResponse({ type: WorklistDto })
  worklist(@CurrentActor() actor: Actor, @Query() query: WorklistQueryDto): Promise<WorklistDto> {
    return this.service.worklist(actor, query);
  }

  @Get('insurer-costs')
  @Allow('EVALUATOR', 'INSURER')
  @ApiOperation({ summary: 'Paid vs counterfactual per practice x calendar quarter, per practice, per quarter and per arm for the insured, over a period of care quarter starts' })
  @ApiOkResponse({ type: InsurerCostsDto })
  insurerCosts(@CurrentActor() actor: Actor, @Query() query: InsurerCostsQueryDto): Promise<InsurerCostsDto> {
    return this.insurer.insurerCosts(actor, query);
  }

  @Get('insurer-patients')
  @Allow('EVALUATOR', 'INSURER')
  @ApiOperation({ summary: "One practice's insured (pseudonyms, no clinical field) with care quarters starting in the period and their amounts" })
  @ApiOkResponse({ type: InsurerPatientsDto })
  insurerPatients(@CurrentActor() actor: Actor, @Query() query: InsurerPatientsQueryDto): Promise<InsurerPatientsDto> {
    return this.insurer.insurerPatients(actor, query);
  }
}
