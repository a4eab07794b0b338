import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { IndicatorFacts1764100000000 } from './1764100000000-indicator-facts';
import { Accounts1764200000000 } from './1764200000000-accounts';
import { SessionPricingKeys1764300000000 } from './1764300000000-session-pricing-keys';
import { SignInAttemptsRetention1764400000000 } from './1764400000000-sign-in-attempts-retention';
import { ContractTariffCap1764500000000 } from './1764500000000-contract-tariff-cap';
import { LeastPrivilegeRoles1764550000000 } from './1764550000000-least-privilege-roles';
import { AuditPatientAttribution1764600000000 } from './1764600000000-audit-patient-attribution';
import { RederivePatientArms1764700000000 } from './1764700000000-rederive-patient-arms';
import { Snapshots1764800000000 } from './1764800000000-snapshots';
import { CorrectionReasons1764900000000 } from './1764900000000-correction-reasons';
import { BulkSessionLoad1765000000000 } from './1765000000000-bulk-session-load';
import { OutboxNotify1765100000000 } from './1765100000000-outbox-notify';
import { ComparisonCells1765200000000 } from './1765200000000-comparison-cells';
import { PracticeRowRevisions1765300000000 } from './1765300000000-practice-row-revisions';
import { CareQuarterDatePart1765400000000 } from './1765400000000-care-quarter-date-part';

/** Every migration in order; listed explicitly so source and compiled runs find the same set. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  IndicatorFacts1764100000000,
  Accounts1764200000000,
  SessionPricingKeys1764300000000,
  SignInAttemptsRetention1764400000000,
  ContractTariffCap1764500000000,
  LeastPrivilegeRoles1764550000000,
  AuditPatientAttribution1764600000000,
  RederivePatientArms1764700000000,
  Snapshots1764800000000,
  CorrectionReasons1764900000000,
  BulkSessionLoad1765000000000,
  OutboxNotify1765100000000,
  ComparisonCells1765200000000,
  PracticeRowRevisions1765300000000,
  CareQuarterDatePart1765400000000,
];
