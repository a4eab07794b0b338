import { Body, Controller, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ReasonDto } from '../../core/audit/correction-reason';
import { ApiProblems, ProblemDto } from '../../core/http/api-docs';
import { DeleteRoute, IdParam, ListRoute, UpdateRoute } from '../../core/http/crud-routes';
import { CreateMeasurementDto, MeasurementDto, MeasurementQuery, UpdateMeasurementDto } from './dto/measurement.dto';
import { MeasurementsService } from './measurements.service';

@ApiTags('measurements')
@ApiProblems()
@Controller('api/v1')
export class MeasurementsController {
  constructor(private readonly service: MeasurementsService) {}

  @ListRoute({ roles: ['EVALUATOR', 'PRACTICE'], item: MeasurementDto, path: 'patients/:patientId/measurements' })
  list(@CurrentActor() actor: Actor, @IdParam('patientId') patientId: string, @Query() query: MeasurementQuery) {
    return this.service.list(actor, patientId, query);
  }

  @Post('patients/:patientId/measurements')
  @Allow('PRACTICE')
  @ApiCreatedResponse({ type: MeasurementDto, description: 'Recorded' })
  @ApiOkResponse({ type: MeasurementDto, description: 'Same key: corrected to the new value (with a reason), or unchanged' })
  @ApiConflictResponse({
    type: ProblemDto,
    description: 'MEASUREMENT.CORRECTION_NEEDS_REASON: the key is stored with another value and no reason was given',
  })
  async record(
    @CurrentActor() actor: Actor,
    @IdParam('patientId') patientId: string,
    @Body() dto: CreateMeasurementDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeasurementDto> {
    const result = await this.service.record(actor, patientId, dto);
    res.status(result.created ? 201 : 200);
    return result.item;
  }

  @UpdateRoute({ roles: ['PRACTICE'], type: MeasurementDto, description: 'Corrected (the reason is kept in the audit log)', path: 'measurements/:id' })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() dto: UpdateMeasurementDto): Promise<MeasurementDto> {
    return this.service.update(actor, id, dto);
  }

  @DeleteRoute({ roles: ['PRACTICE'], description: 'Deleted (the reason is kept in the audit log)', path: 'measurements/:id' })
  @ApiBody({ type: ReasonDto })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string, @Body() body: ReasonDto): Promise<void> {
    return this.service.remove(actor, id, body.reason);
  }
}
