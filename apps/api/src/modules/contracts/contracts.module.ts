import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExperimentsModule } from '../experiments/experiments.module';
import { InsurersModule } from '../insurers/insurers.module';
import { PatientArmsModule } from '../patients/patient-arms.module';
import { PracticesModule } from '../practices/practices.module';
import { ContractEntity } from './contract.entity';
import { ContractsController } from './contracts.controller';
import { ContractsRepository } from './contracts.repository';
import { ContractsService } from './contracts.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([ContractEntity]),
    ExperimentsModule,
    PracticesModule,
    InsurersModule,
    PatientArmsModule,
  ],
  controllers: [ContractsController],
  providers: [ContractsRepository, ContractsService],
  exports: [ContractsService],
})
export class ContractsModule {}
