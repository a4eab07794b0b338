import { Module } from '@nestjs/common';
import { ExchangeModule } from '../exchange/exchange.module';
import { ExperimentsModule } from '../experiments/experiments.module';
import { FhirExportController } from './fhir/fhir-export.controller';
import { FhirExportService } from './fhir/fhir-export.service';
import { InterchangeController } from './interchange.controller';
import { InterchangeRepository } from './interchange.repository';
import { InterchangeService } from './interchange.service';

/** CSV and FHIR import (dry run, confirm) and CSV export and templates; writes go through the exchange write path. */
@Module({
  imports: [ExchangeModule, ExperimentsModule],
  controllers: [InterchangeController, FhirExportController],
  providers: [InterchangeRepository, InterchangeService, FhirExportService],
  exports: [InterchangeService],
})
export class InterchangeModule {}
