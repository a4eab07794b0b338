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
import { CreatePracticeDto, PracticeDto, PracticeQuery, UpdatePracticeDto } from './dto/practice.dto';
import { PracticesService } from './practices.service';

@ApiTags('practices')
@ApiProblems()
@ApiConflictResponse({ description: 'AGB code taken, or the practice is still in use', type: ProblemDto })
@Controller('api/v1/practices')
export class PracticesController {
  constructor(private readonly service: PracticesService) {}

  @Get()
  @Allow(...ANY_ROLE)
  @ApiPage(PracticeDto)
  list(@CurrentActor() actor: Actor, @Query() query: PracticeQuery) {
    return this.service.list(actor, query);
  }

  @Get(':id')
  @Allow(...ANY_ROLE)
  @ApiOkResponse({ type: PracticeDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<PracticeDto> {
    return this.service.get(actor, id);
  }

  @Post()
  @Allow('ADMIN')
  @ApiCreatedResponse({ type: PracticeDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePracticeDto): Promise<PracticeDto> {
    return this.service.create(actor, dto);
  }

  @Patch(':id')
  @Allow('ADMIN')
  @ApiOkResponse({ type: PracticeDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdatePracticeDto,
  ): Promise<PracticeDto> {
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
