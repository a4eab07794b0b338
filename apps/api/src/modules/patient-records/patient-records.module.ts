import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { ExperimentsModule } from '../experiments/experiments.module';
import { IndicatorsModule } from '../indicators/indicators.module';
import { PatientsModule } from '../patients/patients.module';
import { PatientRecordsController } from './patient-records.controller';
import { PatientRecordsRepository } from './patient-records.repository';
import { PatientRecordsService } from './patient-records.service';

/** The patient list and record read model (issue 14); read-only, no table of its own. */
@Module({
  imports: [PatientsModule, ContractsModule, ExperimentsModule, IndicatorsModule],
  controllers: [PatientRecordsController],
  providers: [PatientRecordsRepository, PatientRecordsService],
})
export class PatientRecordsModule {}
