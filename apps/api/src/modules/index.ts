import { ContractsModule } from './contracts/contracts.module';
import { EventsModule } from './events/events.module';
import { InsurersModule } from './insurers/insurers.module';
import { MeasurementsModule } from './measurements/measurements.module';
import { PatientsModule } from './patients/patients.module';
import { PracticesModule } from './practices/practices.module';
import { PricingModule } from './pricing/pricing.module';
import { SessionsModule } from './sessions/sessions.module';
import { DemoDataModule } from './demo-data/demo-data.module';
import { ExchangeModule } from './exchange/exchange.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { IndicatorsModule } from './indicators/indicators.module';
import { ApiTokensModule } from './api-tokens/api-tokens.module';
import { AuditLogModule } from './audit/audit-log.module';
import { AuthModule } from './auth/auth.module';
import { UsersModule } from './users/users.module';
import { InsightsModule } from './insights/insights.module';
import { SnapshotsModule } from './snapshots/snapshots.module';
import { AnalysisExportModule } from './analysis-export/analysis-export.module';
import { ReportModule } from './report/report.module';
import { PatientRecordsModule } from './patient-records/patient-records.module';
import { InterchangeModule } from './interchange/interchange.module';

/** Every feature module; the API, the worker and the CLI load the same set. */
export const FEATURE_MODULES = [ExperimentsModule, IndicatorsModule, ExchangeModule, DemoDataModule,
  InsurersModule, PracticesModule, ContractsModule, PatientsModule, SessionsModule, MeasurementsModule, EventsModule, PricingModule,
  InsightsModule, AnalysisExportModule, SnapshotsModule, ReportModule,
  // Issue 14: the practice's patient list and record read model.
  PatientRecordsModule,
  // Issue 15: CSV and FHIR import (dry run, confirm) and export.
  InterchangeModule,
  // Issue 4: accounts, API tokens, the audit-log search, and AuthModule's global guard on every HTTP route.
  UsersModule, ApiTokensModule, AuditLogModule, AuthModule];
