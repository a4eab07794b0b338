import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PatientsModule } from '../patients/patients.module';
import { MeasurementEntity } from './measurement.entity';
import { MeasurementsController } from './measurements.controller';
import { MeasurementsRepository } from './measurements.repository';
import { MeasurementsService } from './measurements.service';

@Module({
  imports: [TypeOrmModule.forFeature([MeasurementEntity]), PatientsModule],
  controllers: [MeasurementsController],
  providers: [MeasurementsRepository, MeasurementsService],
  exports: [MeasurementsService],
})
export class MeasurementsModule {}
