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
import { Allow, ANY_ROLE } from '../../core/auth/route-policy';
import { ApiPage, ApiProblems, ProblemDto } from '../../core/http/api-docs';
import { CreateInsurerDto, InsurerDto, InsurerQuery, UpdateInsurerDto } from './dto/insurer.dto';
import { InsurersService } from './insurers.service';

@ApiTags('insurers')
@ApiProblems()
@ApiConflictResponse({ description: 'UZOVI code taken, or the insurer is still in use', type: ProblemDto })
@Controller('api/v1/insurers')
export class InsurersController {
  constructor(private readonly service: InsurersService) {}

  @Get()
  @Allow(...ANY_ROLE)
  @ApiPage(InsurerDto)
  list(@CurrentActor() actor: Actor, @Query() query: InsurerQuery) {
    return this.service.list(actor, query);
  }

  @Get(':id')
  @Allow(...ANY_ROLE)
  @ApiOkResponse({ type: InsurerDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<InsurerDto> {
    return this.service.get(actor, id);
  }

  @Post()
  @Allow('ADMIN')
  @ApiCreatedResponse({ type: InsurerDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateInsurerDto): Promise<InsurerDto> {
    return this.service.create(actor, dto);
  }

  @Patch(':id')
  @Allow('ADMIN')
  @ApiOkResponse({ type: InsurerDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateInsurerDto,
  ): Promise<InsurerDto> {
    return this.service.update(actor, id, dto);
  }

  @Delete(':id')
  @Allow('ADMIN')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
