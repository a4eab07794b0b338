import { Controller, Get, Query } from '@nestjs/common';
import { IdParam } from '../../core/http/crud-routes';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { CostItemsDto, PricingDto, PricingQuery } from './dto/pricing.dto';
import { PricingService } from './pricing.service';

@ApiTags('pricing')
@ApiProblems()
@Controller('api/v1/patients')
export class PricingController {
  constructor(private readonly service: PricingService) {}

  @Get(':id/pricing')
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  @ApiOkResponse({
    type: PricingDto,
    description: 'Per care quarter and in total, under both arms (DOMAIN.md 5)',
  })
  price(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @Query() query: PricingQuery,
  ): Promise<PricingDto> {
    return this.service.priceOf(actor, id, query.asOf);
  }

  @Get(':id/cost-items')
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  @ApiOkResponse({
    type: CostItemsDto,
    description: "Per care quarter on the analysis date, paid and counterfactual with the tariff lines they are made of; the patient without clinical fields (the insurer's patient page)",
  })
  costItems(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<CostItemsDto> {
    return this.service.costItems(actor, id);
  }
}
