import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiProblems } from '../../core/http/api-docs';
import { IdParam } from '../../core/http/crud-routes';
import {
  CreateSnapshotDto,
  SnapshotChangesDto,
  SnapshotChangesQueryDto,
  SnapshotDetailDto,
  SnapshotDto,
  SnapshotListQueryDto,
  SnapshotVerificationDto,
} from './dto/snapshot.dto';
import { SnapshotsService } from './snapshots.service';

/** Frozen snapshots for evaluators: take, list, open, verify and compare. There is no route to change or delete one. */
@ApiTags('snapshots')
@ApiProblems()
@Allow('EVALUATOR')
@Controller('api/v1/snapshots')
export class SnapshotsController {
  constructor(private readonly service: SnapshotsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Freeze the experiment as of its analysis date (409 SNAPSHOT.STALE while a recompute is due)',
  })
  @ApiCreatedResponse({ type: SnapshotDetailDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateSnapshotDto): Promise<SnapshotDetailDto> {
    return this.service.create(actor, dto);
  }

  @Get()
  @ApiOkResponse({ type: [SnapshotDto] })
  list(@CurrentActor() actor: Actor, @Query() query: SnapshotListQueryDto): Promise<SnapshotDto[]> {
    return this.service.list(actor, query.experiment);
  }

  @Get(':id')
  @ApiOkResponse({ type: SnapshotDetailDto })
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<SnapshotDetailDto> {
    return this.service.get(actor, id);
  }

  @Get(':id/verification')
  @ApiOperation({ summary: "Recompute the snapshot's input digest from its own copies" })
  @ApiOkResponse({ type: SnapshotVerificationDto })
  verify(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<SnapshotVerificationDto> {
    return this.service.verify(actor, id);
  }

  @Get(':id/changes')
  @ApiOperation({
    summary: 'Figures and records changed since the snapshot: against now (default) or another snapshot',
  })
  @ApiOkResponse({ type: SnapshotChangesDto })
  changes(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @Query() query: SnapshotChangesQueryDto,
  ): Promise<SnapshotChangesDto> {
    return this.service.changes(actor, id, query.to?.toLowerCase());
  }
}
