import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { ExperimentsModule } from '../experiments/experiments.module';
import { PatientArmsModule } from '../patients/patient-arms.module';
import { ExchangeController } from './exchange.controller';
import { ExchangeRepository } from './exchange.repository';
import { ExchangeService } from './exchange.service';
import { SessionBulkLoadRepository } from './session-bulk-load.repository';

/** Import and export of the exchange document; SQL of its own, independent of the per-record modules. */
@Module({
  imports: [PatientArmsModule, ContractsModule, ExperimentsModule],
  controllers: [ExchangeController],
  providers: [ExchangeRepository, SessionBulkLoadRepository, ExchangeService],
  exports: [ExchangeService],
})
export class ExchangeModule {}
