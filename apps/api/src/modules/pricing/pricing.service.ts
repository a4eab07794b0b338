import { Injectable } from '@nestjs/common';
import { priceEnrolment, type EnrolmentPrice } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { ContractsService } from '../contracts/contracts.service';
import { PatientRow } from '../patients/patient.entity';
import { PatientsService } from '../patients/patients.service';
import { PracticesService } from '../practices/practices.service';
import { SessionsService } from '../sessions/sessions.service';
import { CostItemsDto, PricingDto } from './dto/pricing.dto';
import { toCostItemsDto, toPricingDto } from './pricing.mapper';

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
    private readonly practices: PracticesService,
    private readonly audit: AuditService,
  ) {}

  async priceOf(actor: Actor, patientId: string, asOf?: string): Promise<PricingDto> {
    const patient = await this.patients.requirePatient(actor, patientId);
    const analysisDate = asOf ?? patient.analysisDate;
    const price = await this.price(patient, analysisDate);
    await this.audit.record(actor, {
      action: 'pricing.read',
      resourceType: 'patient',
      resourceId: patient.id,
      patientPseudonym: patient.pseudonym,
      detail: { asOf: analysisDate },
    });
    return toPricingDto(patient, analysisDate, price, actor.role !== 'INSURER');
  }

  /**
   * The patient's care quarters on the experiment's analysis date (as the indicators and the insurer's table) with
   * the tariff lines of each: what the insurer's patient page shows. No clinical field (toCostItemsDto).
   */
  async costItems(actor: Actor, patientId: string): Promise<CostItemsDto> {
    const patient = await this.patients.requirePatient(actor, patientId);
    const [price, practice] = await Promise.all([this.price(patient, patient.analysisDate), this.practices.get(actor, patient.practiceId)]);
    await this.audit.record(actor, {
      action: 'pricing.cost-items.read',
      resourceType: 'patient',
      resourceId: patient.id,
      patientPseudonym: patient.pseudonym,
      detail: { asOf: patient.analysisDate },
    });
    return toCostItemsDto(patient, practice.name, patient.analysisDate, price);
  }

  private async price(patient: PatientRow, analysisDate: string): Promise<EnrolmentPrice> {
    const contracts = await this.contracts.termsFor({
      experimentId: patient.experimentId,
      practiceId: patient.practiceId,
      insurerId: patient.insurerId,
    });
    const sessions = await this.sessions.recordsOf(patient);
    return priceEnrolment(
      { intakeDate: patient.intakeDate, endDate: patient.endDate, arm: patient.arm },
      sessions,
      contracts,
      analysisDate,
    );
  }
}
