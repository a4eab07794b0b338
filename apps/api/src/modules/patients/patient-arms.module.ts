import { Module } from '@nestjs/common';
import { PatientArmsRepository } from './patient-arms.repository';
import { PatientArmsService } from './patient-arms.service';

/**
 * Re-deriving patients' arms after a contract correction. Its own small module, because the writers of contracts
 * (the contracts module and the exchange import) need it and the patients module itself depends on contracts.
 */
@Module({
  providers: [PatientArmsRepository, PatientArmsService],
  exports: [PatientArmsService],
})
export class PatientArmsModule {}
