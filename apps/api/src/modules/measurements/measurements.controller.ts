import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiPage, ApiProblems } from '../../core/http/api-docs';
import { CreateMeasurementDto, MeasurementDto, MeasurementQuery } from './dto/measurement.dto';
import { MeasurementsService } from './measurements.service';

@ApiTags('measurements')
@ApiProblems()
@Controller('api/v1')
export class MeasurementsController {
  constructor(private readonly service: MeasurementsService) {}

  @Get('patients/:patientId/measurements')
  @Allow('EVALUATOR', 'PRACTICE')
  @ApiPage(MeasurementDto)
  list(
    @CurrentActor() actor: Actor,
    @Param('patientId', ParseUUIDPipe) patientId: string,
    @Query() query: MeasurementQuery,
  ) {
    return this.service.list(actor, patientId, query);
  }

  @Post('patients/:patientId/measurements')
  @Allow('PRACTICE')
  @ApiCreatedResponse({ type: MeasurementDto, description: 'Recorded' })
  @ApiOkResponse({ type: MeasurementDto, description: 'Same key: corrected to the new value, or unchanged' })
  async record(
    @CurrentActor() actor: Actor,
    @Param('patientId', ParseUUIDPipe) patientId: string,
    @Body() dto: CreateMeasurementDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MeasurementDto> {
    const result = await this.service.record(actor, patientId, dto);
    res.status(result.created ? 201 : 200);
    return result.item;
  }

  @Delete('measurements/:id')
  @Allow('PRACTICE')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
