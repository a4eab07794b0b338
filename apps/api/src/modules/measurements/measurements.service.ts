import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { fromStoredMeasurementValue, toStoredMeasurementValue, validateMeasurement } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { Clock } from '../../core/clock';
import { conflict, notFound, ruleViolation } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { WriteResult } from '../../core/http/write-result';
import { OutboxService } from '../../core/outbox/outbox.service';
import { PatientRow } from '../patients/patient.entity';
import { PatientsService } from '../patients/patients.service';
import { CreateMeasurementDto, MeasurementDto, MeasurementQuery } from './dto/measurement.dto';
import { MeasurementEntity } from './measurement.entity';
import { toMeasurementDto } from './measurement.mapper';
import { MeasurementsRepository } from './measurements.repository';

@Injectable()
export class MeasurementsService {
  constructor(
    private readonly measurements: MeasurementsRepository,
    private readonly patients: PatientsService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {}

  async list(actor: Actor, patientId: string, query: MeasurementQuery): Promise<Page<MeasurementDto>> {
    const patient = await this.patients.requirePatient(actor, patientId);
    const filter = { from: query.from, to: query.to, instrument: query.instrument };
    const [rows, total] = await this.measurements.list(
      patientId,
      filter,
      actor.scope,
      query.limit,
      query.offset,
    );
    await this.audit.record(actor, {
      action: 'measurement.list',
      resourceType: 'measurement',
      patientPseudonym: patient.pseudonym,
      detail: { patientId, total, returned: rows.length, filters: filter },
    });
    return page(rows.map(toMeasurementDto), total, query);
  }

  /**
   * Key patient + instrument + date (DOMAIN.md 3). A new value for the key is a correction that replaces the old one
   * (audited with both); the same value again changes nothing. The value is stored in the domain's unit (CCQ tenths).
   */
  async record(
    actor: Actor,
    patientId: string,
    dto: CreateMeasurementDto,
  ): Promise<WriteResult<MeasurementDto>> {
    return this.dataSource.transaction(async (manager) => {
      const patient = await this.patients.requirePatient(actor, patientId, manager);
      const violations = validateMeasurement(
        { date: dto.date, instrument: dto.instrument, value: dto.value },
        {
          enrolment: { referralDate: patient.referralDate, endDate: patient.endDate },
          today: this.clock.today(),
        },
      );
      if (violations.length > 0)
        throw ruleViolation('MEASUREMENT.INVALID', 'De meting is niet geldig; zie "errors".', violations);
      const stored = toStoredMeasurementValue(dto.instrument, dto.value);
      // Insert first; when the key is stored (earlier or by a request at the same moment), lock it and compare.
      const inserted = await this.measurements.insertIfAbsent(
        { patientId, date: dto.date, instrument: dto.instrument, value: stored },
        manager,
      );
      if (inserted) {
        await this.outbox.announce(manager, patient.experimentId, [patientId], 'measurement');
        await this.audit.record(actor, entry('measurement.create', inserted, patient), manager);
        return { created: true, item: toMeasurementDto(inserted) };
      }
      const existing = await this.measurements.findByKeyForUpdate(patientId, dto.instrument, dto.date, manager);
      if (!existing) {
        throw conflict('MEASUREMENT.CHANGED_MEANWHILE', 'De meting is intussen verwijderd; stuur het verzoek opnieuw.');
      }
      if (existing.value === stored) {
        await this.audit.record(actor, entry('measurement.unchanged', existing, patient), manager);
        return { created: false, item: toMeasurementDto(existing) };
      }
      const oldValue = fromStoredMeasurementValue(existing.instrument, existing.value);
      const saved = await this.measurements.updateValue(existing, stored, manager);
      await this.outbox.announce(manager, patient.experimentId, [patientId], 'measurement');
      const base = entry('measurement.correct', saved, patient);
      await this.audit.record(
        actor,
        { ...base, detail: { ...base.detail, oldValue, newValue: dto.value } },
        manager,
      );
      return { created: false, item: toMeasurementDto(saved) };
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const measurement = await this.measurements.findById(id, actor.scope, manager);
      if (!measurement) throw notFound('Measurement', id);
      const patient = await this.patients.requirePatient(actor, measurement.patientId, manager);
      await this.measurements.delete(id, manager);
      await this.outbox.announce(manager, patient.experimentId, [patient.id], 'measurement');
      await this.audit.record(actor, entry('measurement.delete', measurement, patient), manager);
    });
  }
}

function entry(action: string, m: MeasurementEntity, patient: PatientRow) {
  return {
    action,
    resourceType: 'measurement',
    resourceId: m.id,
    patientPseudonym: patient.pseudonym,
    detail: {
      date: m.date,
      instrument: m.instrument,
      value: fromStoredMeasurementValue(m.instrument, m.value),
    } as Record<string, unknown>,
  };
}
