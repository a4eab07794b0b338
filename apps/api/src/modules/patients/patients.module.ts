import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContractsModule } from '../contracts/contracts.module';
import { ExperimentsModule } from '../experiments/experiments.module';
import { InsurersModule } from '../insurers/insurers.module';
import { PracticesModule } from '../practices/practices.module';
import { PatientEntity } from './patient.entity';
import { PatientsController } from './patients.controller';
import { PatientsRepository } from './patients.repository';
import { PatientsService } from './patients.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([PatientEntity]),
    ExperimentsModule,
    PracticesModule,
    InsurersModule,
    ContractsModule,
  ],
  controllers: [PatientsController],
  providers: [PatientsRepository, PatientsService],
  exports: [PatientsService],
})
export class PatientsModule {}
