import { Injectable } from '@nestjs/common';
import { priceEnrolment } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { ContractsService } from '../contracts/contracts.service';
import { PatientsService } from '../patients/patients.service';
import { SessionsService } from '../sessions/sessions.service';
import { PricingDto } from './dto/pricing.dto';
import { toPricingDto } from './pricing.mapper';

/**
 * The price of one enrolment under both arms (DOMAIN.md 5), computed by the domain from the patient's sessions and the
 * contracts of its practice x insurer in the experiment: each item priced with the contract in force on its own date.
 */
@Injectable()
export class PricingService {
  constructor(
    private readonly patients: PatientsService,
    private readonly contracts: ContractsService,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async priceOf(actor: Actor, patientId: string, asOf?: string): Promise<PricingDto> {
    const patient = await this.patients.requirePatient(actor, patientId);
    const analysisDate = asOf ?? patient.analysisDate;
    const contracts = await this.contracts.termsFor({
      experimentId: patient.experimentId,
      practiceId: patient.practiceId,
      insurerId: patient.insurerId,
    });
    const sessions = await this.sessions.recordsOf(patient);
    const price = priceEnrolment(
      { intakeDate: patient.intakeDate, endDate: patient.endDate, arm: patient.arm },
      sessions,
      contracts,
      analysisDate,
    );
    await this.audit.record(actor, {
      action: 'pricing.read',
      resourceType: 'patient',
      resourceId: patient.id,
      patientPseudonym: patient.pseudonym,
      detail: { asOf: analysisDate },
    });
    return toPricingDto(patient, analysisDate, price);
  }
}
