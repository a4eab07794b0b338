import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  armAtIntake,
  isValidBsn,
  normalizeBsn,
  validateEnrolment,
  type Enrolment,
  type Violation,
} from '@copd/domain';
import { Actor, inScope } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { changesOf, correctionReason, FieldChange } from '../../core/audit/correction-reason';
import { Clock } from '../../core/clock';
import { conflict, notFound, ruleViolation } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { OutboxService } from '../../core/outbox/outbox.service';
import { Pseudonymizer } from '../../core/pseudonymizer';
import { ContractsService } from '../contracts/contracts.service';
import { ExperimentsService } from '../experiments/experiments.service';
import { InsurersService } from '../insurers/insurers.service';
import { PracticesService } from '../practices/practices.service';
import { CreatePatientDto, PatientDto, PatientQuery, PatientView, UpdatePatientDto } from './dto/patient.dto';
import { PatientEntity, PatientRow } from './patient.entity';
import { toEnrolment, toPatientDto, toPatientViewFor } from './patient.mapper';
import { PatientsRepository } from './patients.repository';

/** Own code (the domain checks the 11-proef; reporting it is the API's, since a BSN never reaches the domain). */
export const BSN_INVALID = 'ENROLMENT.BSN_INVALID';

@Injectable()
export class PatientsService {
  constructor(
    private readonly patients: PatientsRepository,
    private readonly experiments: ExperimentsService,
    private readonly practices: PracticesService,
    private readonly insurers: InsurersService,
    private readonly contracts: ContractsService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly outbox: OutboxService,
  ) {}

  async list(actor: Actor, query: PatientQuery): Promise<Page<PatientView>> {
    const filter = {
      experimentCode: query.experiment,
      agb: query.practice,
      uzovi: query.insurer,
      arm: query.arm,
      goldStage: query.goldStage,
      profile: query.profile,
      intakeFrom: query.intakeFrom,
      intakeTo: query.intakeTo,
      ref: query.ref,
    };
    const [rows, total] = await this.patients.list(filter, actor.scope, query.limit, query.offset);
    await this.audit.record(actor, {
      action: 'patient.list',
      resourceType: 'patient',
      // Every patient of the page, so each owning practice sees this read among the accesses to its patients.
      patientPseudonyms: rows.map((row) => row.pseudonym),
      detail: {
        total,
        returned: rows.length,
        limit: query.limit,
        offset: query.offset,
        filters: definedOnly(filter),
      },
    });
    return page(rows.map((row) => toPatientViewFor(actor, row)), total, query);
  }

  async get(actor: Actor, id: string): Promise<PatientView> {
    const patient = await this.requirePatient(actor, id);
    await this.audit.record(actor, {
      action: 'patient.read',
      resourceType: 'patient',
      resourceId: id,
      patientPseudonym: patient.pseudonym,
    });
    return toPatientViewFor(actor, patient);
  }

  /**
   * For the record modules: the patient inside the actor's scope, or NOT_FOUND exactly as for a missing one.
   * Pass the transaction's manager when the answer feeds a write.
   */
  async requirePatient(actor: Actor, id: string, manager?: EntityManager): Promise<PatientRow> {
    const found = await this.patients.findById(id, actor.scope, manager);
    if (!found) throw notFound('Patient', id);
    return found;
  }

  async create(actor: Actor, dto: CreatePatientDto): Promise<PatientDto> {
    const experiment = await this.experiments.resolve(dto.experiment);
    const practice = await this.practices.requireByAgb(dto.practice);
    // A practice enrols only at its own AGB codes; another practice's answers as an unknown one.
    if (!inScope({ practiceIds: actor.scope.practiceIds }, { practiceId: practice.id })) throw notFound('Practice', dto.practice);
    const insurer = await this.insurers.requireByUzovi(dto.insurer);
    const pair = { experimentId: experiment.id, practiceId: practice.id, insurerId: insurer.id };
    const bsn = checkBsn(dto.bsn);
    const enrolment: Enrolment = {
      ref: dto.ref,
      practice: practice.agb,
      insurer: insurer.uzovi,
      birthYear: dto.birthYear,
      sex: dto.sex,
      goldStage: dto.goldStage,
      profile: dto.profile,
      referralDate: dto.referralDate,
      intakeDate: dto.intakeDate,
      endDate: dto.endDate ?? null,
      endReason: dto.endReason ?? null,
    };

    const id = await this.dataSource.transaction(async (manager) => {
      await this.contracts.lockPair(pair, manager);
      if (await this.patients.existsRef(experiment.id, practice.id, dto.ref, manager)) {
        throw conflict(
          'PATIENT.REF_TAKEN',
          `Praktijk ${practice.agb} heeft in dit experiment al een patiënt met nummer (ref) ${dto.ref}.`,
        );
      }
      const contracts = await this.contracts.termsFor(pair, manager);
      const violations = [
        ...bsn.violations,
        ...validateEnrolment(enrolment, { contracts, today: this.clock.today() }),
      ];
      if (violations.length > 0) {
        throw ruleViolation(
          'ENROLMENT.INVALID',
          'De patiënt kan niet worden ingeschreven; zie "errors".',
          violations,
        );
      }
      const pseudonym = this.pseudonymizer.patientPseudonym(experiment.code, practice.agb, dto.ref);
      const newId = await this.patients.insert(
        {
          ...pair,
          ref: dto.ref,
          pseudonym,
          bsnHmac: bsn.normalized ? this.pseudonymizer.bsnToken(bsn.normalized) : null,
          arm: armAtIntake(contracts, enrolment.intakeDate)!,
          ...clinicalColumns(enrolment),
        },
        manager,
      );
      await this.outbox.announce(manager, experiment.id, [newId], 'patient');
      await this.audit.record(
        actor,
        {
          action: 'patient.create',
          resourceType: 'patient',
          resourceId: newId,
          patientPseudonym: pseudonym,
          detail: { practice: practice.agb, insurer: insurer.uzovi, bsnGiven: bsn.normalized !== null },
        },
        manager,
      );
      return newId;
    });
    return toPatientDto(await this.requirePatient(actor, id));
  }

  /**
   * Re-validates the whole enrolment; changed dates must not strand recorded sessions, measurements or events.
   * Every change is a correction that needs a reason (issue 14), except the normal ending: only endDate and
   * endReason, set on an enrolment that has no end yet, where the end reason says why.
   */
  async update(actor: Actor, id: string, dto: UpdatePatientDto): Promise<PatientDto> {
    const bsn = checkBsn(dto.bsn);
    await this.dataSource.transaction(async (manager) => {
      const current = await this.requirePatient(actor, id, manager);
      const reason = isNormalEnding(dto, current) && dto.reason === undefined ? null : correctionReason(dto.reason);
      const pair = {
        experimentId: current.experimentId,
        practiceId: current.practiceId,
        insurerId: current.insurerId,
      };
      await this.contracts.lockPair(pair, manager);
      const before = toEnrolment(current);
      const next: Enrolment = {
        ...before,
        birthYear: dto.birthYear ?? before.birthYear,
        sex: dto.sex ?? before.sex,
        goldStage: dto.goldStage ?? before.goldStage,
        profile: dto.profile ?? before.profile,
        referralDate: dto.referralDate ?? before.referralDate,
        intakeDate: dto.intakeDate ?? before.intakeDate,
        endDate: dto.endDate === undefined ? before.endDate : dto.endDate,
        endReason: dto.endReason === undefined ? before.endReason : dto.endReason,
      };
      const contracts = await this.contracts.termsFor(pair, manager);
      const violations = [
        ...bsn.violations,
        ...validateEnrolment(next, {
          contracts,
          today: this.clock.today(),
          recordedSessionDates: await this.patients.sessionDates(id, manager),
          recordedObservationDates: await this.patients.observationDates(id, manager),
        }),
      ];
      if (violations.length > 0) {
        throw ruleViolation(
          'ENROLMENT.INVALID',
          'De wijziging van de inschrijving is niet geldig; zie "errors".',
          violations,
        );
      }
      // The arm is the one at intake; only a corrected intake date can move it (a renewal never does).
      const arm =
        next.intakeDate === before.intakeDate ? current.arm : armAtIntake(contracts, next.intakeDate)!;
      await this.patients.update(
        id,
        {
          arm,
          ...clinicalColumns(next),
          ...(bsn.normalized ? { bsnHmac: this.pseudonymizer.bsnToken(bsn.normalized) } : {}),
        },
        manager,
      );
      await this.outbox.announce(manager, current.experimentId, [id], 'patient');
      await this.audit.record(
        actor,
        {
          action: 'patient.update',
          resourceType: 'patient',
          resourceId: id,
          patientPseudonym: current.pseudonym,
          // Field names only for the BSN; the clinical fields with their old and new values.
          detail: {
            changed: Object.keys(dto).filter((k) => k !== 'reason' && dto[k as keyof UpdatePatientDto] !== undefined),
            before: auditable(before),
            after: auditable(next),
            changes: enrolmentChanges(before, next, bsn.normalized !== null),
          },
          reason,
        },
        manager,
      );
    });
    return toPatientDto(await this.requirePatient(actor, id));
  }

  /** Removes the enrolment with all its records; it needs a reason, and another practice's patient answers 404 first. */
  async remove(actor: Actor, id: string, rawReason: unknown): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.requirePatient(actor, id, manager);
      const reason = correctionReason(rawReason);
      const removed = await this.patients.recordCounts(id, manager);
      await this.patients.delete(id, manager);
      await this.outbox.announce(manager, current.experimentId, [id], 'patient');
      await this.audit.record(
        actor,
        {
          action: 'patient.delete',
          resourceType: 'patient',
          resourceId: id,
          patientPseudonym: current.pseudonym,
          detail: { removed },
          reason,
        },
        manager,
      );
    });
  }
}

/**
 * The 11-proef on a BSN. The violation names the field but never the number: a BSN must not reach an error message,
 * a log line or the audit log.
 */
function checkBsn(raw: string | undefined): { normalized: string | null; violations: Violation[] } {
  if (raw === undefined || raw === null) return { normalized: null, violations: [] };
  const normalized = normalizeBsn(raw);
  if (normalized !== null && isValidBsn(normalized)) return { normalized, violations: [] };
  return {
    normalized: null,
    violations: [
      {
        code: BSN_INVALID,
        path: 'bsn',
        message:
          'Het BSN is ongeldig: het moet uit 9 cijfers bestaan en voldoen aan de elfproef. Controleer het nummer.',
      },
    ],
  };
}

function clinicalColumns(e: Enrolment): Partial<PatientEntity> {
  return {
    birthYear: e.birthYear,
    sex: e.sex,
    goldStage: e.goldStage,
    profile: e.profile,
    referralDate: e.referralDate,
    intakeDate: e.intakeDate,
    endDate: e.endDate ?? null,
    endReason: e.endReason ?? null,
  };
}

/** The normal ending of an enrolment (issue 14): only the end date and reason, on an enrolment that has no end yet. */
function isNormalEnding(dto: UpdatePatientDto, current: PatientRow): boolean {
  const fields = Object.keys(dto).filter((k) => k !== 'reason' && dto[k as keyof UpdatePatientDto] !== undefined);
  return (
    current.endDate === null &&
    typeof dto.endDate === 'string' &&
    typeof dto.endReason === 'string' &&
    fields.every((k) => k === 'endDate' || k === 'endReason')
  );
}

const ENROLMENT_FIELDS = ['birthYear', 'sex', 'goldStage', 'profile', 'referralDate', 'intakeDate', 'endDate', 'endReason'] as const;

/** The enrolment's changed fields for the history; a new BSN by name only (the number never reaches the audit log). */
function enrolmentChanges(before: Enrolment, next: Enrolment, bsnGiven: boolean): FieldChange[] {
  return [...changesOf(before, next, ENROLMENT_FIELDS), ...(bsnGiven ? [{ field: 'bsn', from: null, to: null }] : [])];
}

function auditable(e: Enrolment): Record<string, unknown> {
  return {
    goldStage: e.goldStage,
    profile: e.profile,
    referralDate: e.referralDate,
    intakeDate: e.intakeDate,
    endDate: e.endDate ?? null,
    endReason: e.endReason ?? null,
  };
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
