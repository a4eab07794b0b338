import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { PatientsModule } from '../patients/patients.module';
import { PracticesModule } from '../practices/practices.module';
import { SessionsModule } from '../sessions/sessions.module';
import { PricingController } from './pricing.controller';
import { PricingService } from './pricing.service';

/** No table of its own: pricing is computed on request from sessions and contracts. */
@Module({
  imports: [PatientsModule, ContractsModule, SessionsModule, PracticesModule],
  controllers: [PricingController],
  providers: [PricingService],
  exports: [PricingService],
})
export class PricingModule {}
