import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { validateEvent } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { changesOf, correctionReason, FieldChange, removalOf } from '../../core/audit/correction-reason';
import { Clock } from '../../core/clock';
import { conflict, notFound, ruleViolation } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { WriteResult } from '../../core/http/write-result';
import { OutboxService } from '../../core/outbox/outbox.service';
import { PatientRow } from '../patients/patient.entity';
import { PatientsService } from '../patients/patients.service';
import { CreateEventDto, EventDto, EventQuery, UpdateEventDto } from './dto/event.dto';
import { EventEntity } from './event.entity';
import { toEventDto } from './event.mapper';
import { EventsRepository } from './events.repository';

@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly patients: PatientsService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {}

  async list(actor: Actor, patientId: string, query: EventQuery): Promise<Page<EventDto>> {
    const patient = await this.patients.requirePatient(actor, patientId);
    const filter = { from: query.from, to: query.to, kind: query.kind };
    const [rows, total] = await this.events.list(patientId, filter, actor.scope, query.limit, query.offset);
    await this.audit.record(actor, {
      action: 'event.list',
      resourceType: 'event',
      patientPseudonym: patient.pseudonym,
      detail: { patientId, total, returned: rows.length, filters: filter },
    });
    return page(rows.map(toEventDto), total, query);
  }

  /** An event's key is its whole content: sent again, it changes nothing and the stored one is returned. */
  async record(actor: Actor, patientId: string, dto: CreateEventDto): Promise<WriteResult<EventDto>> {
    return this.dataSource.transaction(async (manager) => {
      const patient = await this.patients.requirePatient(actor, patientId, manager);
      const violations = validateEvent(
        { date: dto.date, kind: dto.kind },
        {
          enrolment: { referralDate: patient.referralDate, endDate: patient.endDate },
          today: this.clock.today(),
        },
      );
      if (violations.length > 0)
        throw ruleViolation('EVENT.INVALID', 'De gebeurtenis is niet geldig; zie "errors".', violations);
      // Insert first, then read what is there: the same outcome whether the repeat comes later or at the same moment.
      const saved = await this.events.insertIfAbsent({ patientId, date: dto.date, kind: dto.kind }, manager);
      if (!saved) {
        const existing = await this.events.findByKey(patientId, dto.date, dto.kind, manager);
        if (!existing) {
          throw conflict('EVENT.CHANGED_MEANWHILE', 'De gebeurtenis is intussen verwijderd; stuur het verzoek opnieuw.');
        }
        await this.audit.record(actor, entry('event.unchanged', existing, patient), manager);
        return { created: false, item: toEventDto(existing) };
      }
      await this.outbox.announce(manager, patient.experimentId, [patientId], 'event');
      await this.audit.record(actor, entry('event.create', saved, patient), manager);
      return { created: true, item: toEventDto(saved) };
    });
  }

  /**
   * A correction of date or kind, with a reason (issue 14): the same rules as recording it (window [referral, end],
   * not in the future) and the key rule (another event of that date and kind answers 409).
   */
  async update(actor: Actor, id: string, dto: UpdateEventDto): Promise<EventDto> {
    return this.dataSource.transaction(async (manager) => {
      const event = await this.events.findById(id, actor.scope, manager, true);
      if (!event) throw notFound('Event', id);
      const reason = correctionReason(dto.reason);
      const patient = await this.patients.requirePatient(actor, event.patientId, manager);
      const before = { date: event.date, kind: event.kind };
      const next = { date: dto.date ?? event.date, kind: dto.kind ?? event.kind };
      const changes = changesOf(before, next, ['date', 'kind']);
      if (changes.length === 0) {
        await this.audit.record(actor, { ...entry('event.unchanged', event, patient), reason }, manager);
        return toEventDto(event);
      }
      const violations = validateEvent(next, {
        enrolment: { referralDate: patient.referralDate, endDate: patient.endDate },
        today: this.clock.today(),
      });
      if (violations.length > 0)
        throw ruleViolation('EVENT.INVALID', 'De correctie is niet opgeslagen: de gebeurtenis is niet geldig; zie "errors".', violations);
      const taken = await this.events.findByKey(patient.id, next.date, next.kind, manager);
      if (taken && taken.id !== id) {
        throw conflict(
          'EVENT.KEY_TAKEN',
          'Er staat al een gebeurtenis van deze soort op deze datum. Verwijder een van beide in plaats van te corrigeren.',
          [{ code: 'EVENT.KEY_TAKEN', path: 'date', message: 'Op deze datum staat al een gebeurtenis van deze soort.', params: { value: next.date, kind: next.kind } }],
        );
      }
      const saved = await this.events.update(id, next, manager);
      await this.outbox.announce(manager, patient.experimentId, [patient.id], 'event');
      await this.audit.record(actor, entry('event.update', saved, patient, changes, reason), manager);
      return toEventDto(saved);
    });
  }

  /** A deletion needs a reason; another practice's event answers 404 before the reason is looked at. */
  async remove(actor: Actor, id: string, rawReason: unknown): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const event = await this.events.findById(id, actor.scope, manager, true);
      if (!event) throw notFound('Event', id);
      const reason = correctionReason(rawReason);
      const patient = await this.patients.requirePatient(actor, event.patientId, manager);
      await this.events.delete(id, manager);
      await this.outbox.announce(manager, patient.experimentId, [patient.id], 'event');
      const changes = removalOf({ date: event.date, kind: event.kind }, ['date', 'kind']);
      await this.audit.record(actor, entry('event.delete', event, patient, changes, reason), manager);
    });
  }
}

/** A correction's audit row keeps the changed fields (from, to) in its details and the reason in its own column. */
function entry(action: string, e: EventEntity, patient: PatientRow, changes?: FieldChange[], reason?: string) {
  return {
    action,
    resourceType: 'event',
    resourceId: e.id,
    patientPseudonym: patient.pseudonym,
    detail: { date: e.date, kind: e.kind, ...(changes ? { changes } : {}) },
    reason: reason ?? null,
  };
}
