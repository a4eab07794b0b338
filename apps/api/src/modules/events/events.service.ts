import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { validateEvent } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { Clock } from '../../core/clock';
import { conflict, notFound, ruleViolation } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { WriteResult } from '../../core/http/write-result';
import { OutboxService } from '../../core/outbox/outbox.service';
import { PatientRow } from '../patients/patient.entity';
import { PatientsService } from '../patients/patients.service';
import { CreateEventDto, EventDto, EventQuery } from './dto/event.dto';
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

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const event = await this.events.findById(id, actor.scope, manager);
      if (!event) throw notFound('Event', id);
      const patient = await this.patients.requirePatient(actor, event.patientId, manager);
      await this.events.delete(id, manager);
      await this.outbox.announce(manager, patient.experimentId, [patient.id], 'event');
      await this.audit.record(actor, entry('event.delete', event, patient), manager);
    });
  }
}

function entry(action: string, e: EventEntity, patient: PatientRow) {
  return {
    action,
    resourceType: 'event',
    resourceId: e.id,
    patientPseudonym: patient.pseudonym,
    detail: { date: e.date, kind: e.kind },
  };
}
