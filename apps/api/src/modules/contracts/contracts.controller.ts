import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiPage, ApiProblems, ProblemDto } from '../../core/http/api-docs';
import { ContractDto, ContractQuery, CreateContractDto, UpdateContractDto } from './dto/contract.dto';
import { ContractsService } from './contracts.service';

@ApiTags('contracts')
@ApiProblems()
@ApiConflictResponse({
  description: 'Conflicting concurrent change of the same practice x insurer',
  type: ProblemDto,
})
@Controller('api/v1/contracts')
export class ContractsController {
  constructor(private readonly service: ContractsService) {}

  @Get()
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  @ApiPage(ContractDto)
  list(@CurrentActor() actor: Actor, @Query() query: ContractQuery) {
    return this.service.list(actor, query);
  }

  @Get(':id')
  @Allow('EVALUATOR', 'PRACTICE', 'INSURER')
  @ApiOkResponse({ type: ContractDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ContractDto> {
    return this.service.get(actor, id);
  }

  @Post()
  @Allow('EVALUATOR')
  @ApiCreatedResponse({ type: ContractDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateContractDto): Promise<ContractDto> {
    return this.service.create(actor, dto);
  }

  @Patch(':id')
  @Allow('EVALUATOR')
  @ApiOkResponse({ type: ContractDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateContractDto,
  ): Promise<ContractDto> {
    return this.service.update(actor, id, dto);
  }

  @Delete(':id')
  @Allow('EVALUATOR')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
