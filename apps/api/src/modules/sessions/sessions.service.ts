import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  duplicateKeyViolations,
  validateSession,
  type ContractTerms,
  type SessionRecord,
  type Violation,
} from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { changesOf, correctionReason, FieldChange, removalOf } from '../../core/audit/correction-reason';
import { Clock } from '../../core/clock';
import { conflict, notFound, ruleViolation } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { OutboxService } from '../../core/outbox/outbox.service';
import { WriteResult } from '../../core/http/write-result';
import { ContractsService } from '../contracts/contracts.service';
import { PatientRow } from '../patients/patient.entity';
import { PatientsService } from '../patients/patients.service';
import { CreateSessionDto, SessionBatchResultDto, SessionDto, SessionQuery, UpdateSessionDto } from './dto/session.dto';
import { SessionEntity } from './session.entity';
import { toSessionDto, toSessionRecord } from './session.mapper';
import { SessionsRepository } from './sessions.repository';

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly patients: PatientsService,
    private readonly contracts: ContractsService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {}

  async list(actor: Actor, patientId: string, query: SessionQuery): Promise<Page<SessionDto>> {
    const patient = await this.patients.requirePatient(actor, patientId);
    const filter = { from: query.from, to: query.to, kind: query.kind };
    const [rows, total] = await this.sessions.list(patientId, filter, actor.scope, query.limit, query.offset);
    await this.audit.record(actor, {
      action: 'session.list',
      resourceType: 'session',
      patientPseudonym: patient.pseudonym,
      detail: { patientId, total, returned: rows.length, filters: filter },
    });
    return page(rows.map(toSessionDto), total, query);
  }

  /** A session's key is its whole content: sent again, it changes nothing and the stored one is returned. */
  async record(actor: Actor, patientId: string, dto: CreateSessionDto): Promise<WriteResult<SessionDto>> {
    return this.dataSource.transaction(async (manager) => {
      const { patient, contracts } = await this.context(actor, patientId, manager);
      const violations = validateSession(
        { date: dto.date, kind: dto.kind },
        this.ruleContext(patient, contracts),
      );
      if (violations.length > 0)
        throw ruleViolation('SESSION.INVALID', 'De behandeling is niet geldig; zie "errors".', violations);
      // Insert first, then read what is there: the same outcome whether the repeat comes later or at the same moment.
      const [saved] = await this.sessions.insertIfAbsent(patientId, [dto], manager);
      if (!saved) {
        const [existing] = await this.sessions.findByKeys(patientId, [dto], manager);
        if (!existing) throw changedMeanwhile();
        await this.audit.record(actor, this.entry('session.unchanged', existing, patient), manager);
        return { created: false, item: toSessionDto(existing) };
      }
      await this.outbox.announce(manager, patient.experimentId, [patientId], 'session');
      await this.audit.record(actor, this.entry('session.create', saved, patient), manager);
      return { created: true, item: toSessionDto(saved) };
    });
  }

  /**
   * Several sessions of one patient, all or nothing: every reason of every item with its index in the path, and two
   * items with the same key in one request are an error (DOMAIN.md 4). Items already recorded are left as they are.
   */
  async recordBatch(
    actor: Actor,
    patientId: string,
    items: CreateSessionDto[],
  ): Promise<WriteResult<SessionBatchResultDto>> {
    return this.dataSource.transaction(async (manager) => {
      const { patient, contracts } = await this.context(actor, patientId, manager);
      const ctx = this.ruleContext(patient, contracts);
      const violations: Violation[] = [
        ...duplicateKeyViolations(items, (s) => JSON.stringify([s.date, s.kind]), ''),
        ...items.flatMap((s, i) =>
          validateSession({ date: s.date, kind: s.kind }, ctx).map((v) => ({
            ...v,
            path: `[${i}].${v.path}`,
          })),
        ),
      ];
      if (violations.length > 0) {
        throw ruleViolation(
          'SESSION.BATCH_INVALID',
          'Geen enkele behandeling is opgeslagen; zie "errors".',
          violations,
        );
      }
      const saved = await this.sessions.insertIfAbsent(patientId, items, manager);
      const savedKeys = new Set(saved.map(keyOf));
      const existing = await this.sessions.findByKeys(
        patientId,
        items.filter((s) => !savedKeys.has(keyOf(s))),
        manager,
      );
      const byKey = new Map<string, SessionEntity>([...existing, ...saved].map((s) => [keyOf(s), s]));
      if (items.some((s) => !byKey.has(keyOf(s)))) throw changedMeanwhile();
      if (saved.length > 0) await this.outbox.announce(manager, patient.experimentId, [patientId], 'session');
      await this.audit.recordMany(
        actor,
        saved.length > 0
          ? saved.map((s) => this.entry('session.create', s, patient))
          : [
              {
                action: 'session.batch-unchanged',
                resourceType: 'session',
                patientPseudonym: patient.pseudonym,
                detail: { count: items.length },
              },
            ],
        manager,
      );
      return {
        created: saved.length > 0,
        item: {
          items: items.map((s) => toSessionDto(byKey.get(keyOf(s))!)),
          created: saved.length,
          unchanged: items.length - saved.length,
        },
      };
    });
  }

  /**
   * A correction of date or kind, with a reason (issue 14): the same rules as recording it (window, not in the
   * future, a contract in force) and the same key rule (another session of that date and kind answers 409).
   */
  async update(actor: Actor, id: string, dto: UpdateSessionDto): Promise<SessionDto> {
    return this.dataSource.transaction(async (manager) => {
      const session = await this.sessions.findById(id, actor.scope, manager, true);
      if (!session) throw notFound('Session', id);
      const reason = correctionReason(dto.reason);
      const { patient, contracts } = await this.context(actor, session.patientId, manager);
      const next: SessionRecord = { date: dto.date ?? session.date, kind: dto.kind ?? session.kind };
      const changes = changesOf(toSessionRecord(session), next, ['date', 'kind']);
      if (changes.length === 0) {
        await this.audit.record(actor, { ...this.entry('session.unchanged', session, patient), reason }, manager);
        return toSessionDto(session);
      }
      const violations = validateSession(next, this.ruleContext(patient, contracts));
      if (violations.length > 0)
        throw ruleViolation('SESSION.INVALID', 'De correctie is niet opgeslagen: de behandeling is niet geldig; zie "errors".', violations);
      const [taken] = await this.sessions.findByKeys(patient.id, [next], manager);
      if (taken && taken.id !== id) {
        throw conflict(
          'SESSION.KEY_TAKEN',
          'Er staat al een behandeling van deze soort op deze datum. Verwijder een van beide in plaats van te corrigeren.',
          [{ code: 'SESSION.KEY_TAKEN', path: 'date', message: 'Op deze datum staat al een behandeling van deze soort.', params: { value: next.date, kind: next.kind } }],
        );
      }
      const saved = await this.sessions.update(id, next, manager);
      await this.outbox.announce(manager, patient.experimentId, [patient.id], 'session');
      await this.audit.record(actor, this.entry('session.update', saved, patient, changes, reason), manager);
      return toSessionDto(saved);
    });
  }

  /** A deletion needs a reason; another practice's session answers 404 before the reason is looked at. */
  async remove(actor: Actor, id: string, rawReason: unknown): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const session = await this.sessions.findById(id, actor.scope, manager, true);
      if (!session) throw notFound('Session', id);
      const reason = correctionReason(rawReason);
      const patient = await this.patients.requirePatient(actor, session.patientId, manager);
      await this.sessions.delete(id, manager);
      await this.outbox.announce(manager, patient.experimentId, [patient.id], 'session');
      const changes = removalOf(toSessionRecord(session), ['date', 'kind']);
      await this.audit.record(actor, this.entry('session.delete', session, patient, changes, reason), manager);
    });
  }

  /** For pricing: every session of a patient the caller has already found inside the actor's scope. */
  async recordsOf(patient: PatientRow): Promise<SessionRecord[]> {
    return (await this.sessions.allOf(patient.id)).map(toSessionRecord);
  }

  private async context(
    actor: Actor,
    patientId: string,
    manager: EntityManager,
  ): Promise<{ patient: PatientRow; contracts: ContractTerms[] }> {
    const patient = await this.patients.requirePatient(actor, patientId, manager);
    const pair = {
      experimentId: patient.experimentId,
      practiceId: patient.practiceId,
      insurerId: patient.insurerId,
    };
    // Serialised with contract changes of the pair: a contract cannot be shortened under a session being recorded.
    await this.contracts.lockPair(pair, manager);
    return { patient, contracts: await this.contracts.termsFor(pair, manager) };
  }

  private ruleContext(patient: PatientRow, contracts: ContractTerms[]) {
    return {
      enrolment: { intakeDate: patient.intakeDate, endDate: patient.endDate },
      contracts,
      today: this.clock.today(),
    };
  }

  /** A correction's audit row keeps the changed fields (from, to) in its details and the reason in its own column. */
  private entry(action: string, s: SessionEntity, patient: PatientRow, changes?: FieldChange[], reason?: string) {
    return {
      action,
      resourceType: 'session',
      resourceId: s.id,
      patientPseudonym: patient.pseudonym,
      detail: { date: s.date, kind: s.kind, ...(changes ? { changes } : {}) },
      reason: reason ?? null,
    };
  }
}

/** A key that was stored when we inserted and gone when we read it: a delete committed in between. */
function changedMeanwhile() {
  return conflict('SESSION.CHANGED_MEANWHILE', 'De behandeling is intussen verwijderd; stuur het verzoek opnieuw.');
}

function keyOf(s: { date: string; kind: string }): string {
  return JSON.stringify([s.date, s.kind]);
}
