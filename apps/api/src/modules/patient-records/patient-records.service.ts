import { Injectable } from '@nestjs/common';
import {
  addDays,
  fromStoredMeasurementValue,
  measurementWindowOf,
  patientProblems,
  priceEnrolment,
  windowDatesOf,
  type Arm,
  type EnrolmentPrice,
  type UnpricedItem,
} from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { Clock } from '../../core/clock';
import { invalidRequest, notFound } from '../../core/errors/app-error';
import { ContractsService } from '../contracts/contracts.service';
import { ExperimentsService } from '../experiments/experiments.service';
import { ComparisonContextService } from '../indicators/comparison-context.service';
import { toPatientDto } from '../patients/patient.mapper';
import { PatientsService } from '../patients/patients.service';
import {
  PatientRecordDto,
  PatientRecordPageDto,
  PatientRecordsQuery,
  RecordCareQuarterDto,
  TimelineEntryDto,
} from './dto/patient-records.dto';
import { PatientRecordsRepository, TimelineRow } from './patient-records.repository';

/**
 * A practice's daily view of its own patients (issue 14): the patient list and one patient's record, read live
 * from the records and judged on today (Europe/Amsterdam), not on the analysis date the indicators use. The
 * actor's scope narrows every read (another practice's patient answers 404), and every patient a read returns
 * is in the audit log.
 */
@Injectable()
export class PatientRecordsService {
  constructor(
    private readonly records: PatientRecordsRepository,
    private readonly patients: PatientsService,
    private readonly contracts: ContractsService,
    private readonly experiments: ExperimentsService,
    private readonly context: ComparisonContextService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: PatientRecordsQuery): Promise<PatientRecordPageDto> {
    const experiment = await this.experiments.resolve(query.experiment);
    const practiceId = await this.onePractice(actor, query.practice);
    const today = this.clock.today();
    const { rows, total } = await this.records.list(
      {
        experimentId: experiment.id,
        practiceId,
        today,
        q: query.q,
        status: query.status,
        arm: query.arm,
        uzovi: query.insurer,
        goldStage: query.goldStage,
        attention: query.attention,
        sort: query.sort,
        order: query.order,
        limit: query.limit,
        offset: query.offset,
      },
      actor.scope,
    );
    await this.audit.record(actor, {
      action: 'patient-record.list',
      resourceType: 'patient',
      // Every patient of the page, so the owning practice sees this read among the accesses to its patients.
      patientPseudonyms: rows.map((r) => r.pseudonym),
      detail: {
        total,
        returned: rows.length,
        limit: query.limit,
        offset: query.offset,
        filters: definedOnly({
          practice: query.practice,
          q: query.q,
          status: query.status,
          arm: query.arm,
          insurer: query.insurer,
          goldStage: query.goldStage,
          attention: query.attention,
          sort: query.sort,
          order: query.order,
        }),
      },
    });
    return { items: rows, total, limit: query.limit, offset: query.offset, today };
  }

  /**
   * The record: the enrolment as entered, the timeline with each measurement's window, the care quarters started
   * up to today with their sessions up to today, and their amounts as GET /patients/:id/pricing gives them (libs/domain's
   * priceEnrolment as of the analysis date, which the indicators use), the problems (libs/domain patientProblems) and
   * the measurement windows. Four queries, none per record.
   */
  async record(actor: Actor, id: string): Promise<PatientRecordDto> {
    const patient = await this.patients.requirePatient(actor, id);
    const today = this.clock.today();
    const [timeline, contracts, insurerName] = await Promise.all([
      this.records.timeline(patient.id),
      this.contracts.termsFor({ experimentId: patient.experimentId, practiceId: patient.practiceId, insurerId: patient.insurerId }),
      this.records.insurerName(patient.insurerId),
    ]);
    const sessions = timeline.flatMap((t) => (t.kind === 'SESSION' ? [{ date: t.date, kind: t.sessionKind }] : []));
    const measurements = timeline.flatMap((t) => (t.kind === 'MEASUREMENT' ? [{ date: t.date, instrument: t.instrument }] : []));
    const enrolment = { intakeDate: patient.intakeDate, endDate: patient.endDate, arm: patient.arm };
    const soFar = priceEnrolment(enrolment, sessions, contracts, today);
    const priced = priceEnrolment(enrolment, sessions, contracts, patient.analysisDate);
    await this.audit.record(actor, {
      action: 'patient-record.read',
      resourceType: 'patient',
      resourceId: patient.id,
      patientPseudonym: patient.pseudonym,
      detail: { today, entries: timeline.length },
    });
    return {
      today,
      analysisDate: patient.analysisDate,
      patient: toPatientDto(patient),
      insurerName,
      timeline: timeline.map((t) => toTimelineEntry(t, patient.intakeDate)),
      careQuarters: toCareQuarters(soFar, priced, patient.arm),
      problems: patientProblems(
        {
          intakeDate: patient.intakeDate,
          endDate: patient.endDate,
          profile: patient.profile,
          sessionDates: sessions.map((s) => s.date),
          measurements,
        },
        today,
      ),
      windows: windowDatesOf(patient.intakeDate),
    };
  }

  /** The practice of a list: the one AGB asked for (inside the actor's scope), or the actor's only practice. */
  private async onePractice(actor: Actor, agb: string | undefined): Promise<string> {
    if (agb) {
      // Another tenant's practice is "not found", exactly like a missing one.
      const practice = await this.context.practiceByCode(agb, actor.scope.practiceIds);
      if (!practice) throw notFound('Practice', agb);
      return practice.id;
    }
    if (actor.scope.practiceIds?.length === 1) return actor.scope.practiceIds[0];
    throw invalidRequest([
      {
        code: 'FILTER.PRACTICE_REQUIRED',
        path: 'practice',
        message: 'Geef precies één praktijk op (AGB-code).',
      },
    ], 'Kies de praktijk waarvan u de patiënten wilt zien (parameter practice, een AGB-code van 8 cijfers).');
  }
}

function toTimelineEntry(t: TimelineRow, intakeDate: string): TimelineEntryDto {
  switch (t.kind) {
    case 'SESSION':
      return { kind: 'SESSION', id: t.id, date: t.date, sessionKind: t.sessionKind };
    case 'MEASUREMENT':
      return {
        kind: 'MEASUREMENT',
        id: t.id,
        date: t.date,
        instrument: t.instrument,
        value: fromStoredMeasurementValue(t.instrument, t.value),
        window: measurementWindowOf(intakeDate, t.date),
      };
    case 'EVENT':
      return { kind: 'EVENT', id: t.id, date: t.date, eventKind: t.eventKind };
  }
}

/** Whether an item priced 0 for want of a contract (DOMAIN.md 5 fallback) falsifies the amount under this arm. */
function unpricedUnder(item: UnpricedItem['item'], arm: Arm): boolean {
  return item === 'INTAKE' || (item === 'QUARTER' && arm === 'BUNDLE') || (item === 'SESSION' && arm === 'FFS');
}

/**
 * The care quarters started up to today (`soFar`: Q1 and the quarters with a session up to today; `end` their last
 * day, `complete` when that day is on or before today), each with the amounts of the same quarter as priced on the
 * analysis date (`priced`, the pricing route's default and the indicators' date): null for a quarter that starts after
 * the analysis date, and null rather than a misleading 0 when an item of the quarter had no contract in force under
 * that arm.
 */
function toCareQuarters(soFar: EnrolmentPrice, priced: EnrolmentPrice, arm: Arm): RecordCareQuarterDto[] {
  const other: Arm = arm === 'BUNDLE' ? 'FFS' : 'BUNDLE';
  const unknown = (index: number, under: Arm) => priced.unpriced.some((u) => u.quarterIndex === index && unpricedUnder(u.item, under));
  return soFar.quarters
    .filter((q) => q.isCareQuarter)
    .map((q) => {
      const atAnalysis = priced.quarters.find((p) => p.index === q.index);
      return {
        index: q.index,
        start: q.start,
        end: addDays(q.endExclusive, -1),
        sessions: q.sessionCount,
        paidCents: !atAnalysis || unknown(q.index, arm) ? null : atAnalysis.paidCents,
        counterfactualCents: !atAnalysis || unknown(q.index, other) ? null : atAnalysis.counterfactualCents,
        complete: q.ended,
      };
    });
}

function definedOnly(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
