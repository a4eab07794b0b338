import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { fromStoredMeasurementValue, toStoredMeasurementValue, validateMeasurement, type Instrument } from '@copd/domain';
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
import { CreateMeasurementDto, MeasurementDto, MeasurementQuery, UpdateMeasurementDto } from './dto/measurement.dto';
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
   * Key patient + instrument + date (DOMAIN.md 3). A new value for the key is a correction that replaces the old one,
   * and like every correction it needs a reason (issue 14): without one it answers 409
   * MEASUREMENT.CORRECTION_NEEDS_REASON and changes nothing. The same value again changes nothing and needs no reason
   * (issue 10 L5). The value is stored in the domain's unit (CCQ tenths).
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
      if (dto.reason === undefined) throw correctionNeedsReason(dto, oldValue);
      const reason = correctionReason(dto.reason);
      const saved = await this.measurements.update(existing.id, { date: existing.date, instrument: existing.instrument, value: stored }, manager);
      await this.outbox.announce(manager, patient.experimentId, [patientId], 'measurement');
      const changes = [{ field: 'value', from: oldValue, to: dto.value }];
      const base = entry('measurement.correct', saved, patient, changes, reason);
      await this.audit.record(actor, { ...base, detail: { ...base.detail, oldValue, newValue: dto.value } }, manager);
      return { created: false, item: toMeasurementDto(saved) };
    });
  }

  /**
   * A correction of date, instrument or value, with a reason (issue 14): the same rules as recording it (ranges and
   * precision of the instrument, the date window, not in the future) and the key rule (another measurement of that
   * instrument on that date answers 409). A value left out keeps its number, read in the new instrument's unit.
   */
  async update(actor: Actor, id: string, dto: UpdateMeasurementDto): Promise<MeasurementDto> {
    return this.dataSource.transaction(async (manager) => {
      const measurement = await this.measurements.findById(id, actor.scope, manager, true);
      if (!measurement) throw notFound('Measurement', id);
      const reason = correctionReason(dto.reason);
      const patient = await this.patients.requirePatient(actor, measurement.patientId, manager);
      const before = readable(measurement);
      const next = {
        date: dto.date ?? before.date,
        instrument: dto.instrument ?? before.instrument,
        value: dto.value ?? before.value,
      };
      const changes = changesOf(before, next, ['date', 'instrument', 'value']);
      if (changes.length === 0) {
        await this.audit.record(actor, { ...entry('measurement.unchanged', measurement, patient), reason }, manager);
        return toMeasurementDto(measurement);
      }
      const violations = validateMeasurement(next, {
        enrolment: { referralDate: patient.referralDate, endDate: patient.endDate },
        today: this.clock.today(),
      });
      if (violations.length > 0)
        throw ruleViolation('MEASUREMENT.INVALID', 'De correctie is niet opgeslagen: de meting is niet geldig; zie "errors".', violations);
      if (await this.measurements.findOtherWithKey(patient.id, next.instrument, next.date, id, manager)) {
        throw conflict(
          'MEASUREMENT.KEY_TAKEN',
          'Er staat al een meting met dit instrument op deze datum. Corrigeer die meting, of verwijder een van beide.',
          [{ code: 'MEASUREMENT.KEY_TAKEN', path: 'date', message: 'Op deze datum staat al een meting met dit instrument.', params: { value: next.date, instrument: next.instrument } }],
        );
      }
      const saved = await this.measurements.update(
        id,
        { date: next.date, instrument: next.instrument, value: toStoredMeasurementValue(next.instrument, next.value) },
        manager,
      );
      await this.outbox.announce(manager, patient.experimentId, [patient.id], 'measurement');
      await this.audit.record(actor, entry('measurement.update', saved, patient, changes, reason), manager);
      return toMeasurementDto(saved);
    });
  }

  /** A deletion needs a reason; another practice's measurement answers 404 before the reason is looked at. */
  async remove(actor: Actor, id: string, rawReason: unknown): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const measurement = await this.measurements.findById(id, actor.scope, manager, true);
      if (!measurement) throw notFound('Measurement', id);
      const reason = correctionReason(rawReason);
      const patient = await this.patients.requirePatient(actor, measurement.patientId, manager);
      await this.measurements.delete(id, manager);
      await this.outbox.announce(manager, patient.experimentId, [patient.id], 'measurement');
      const changes = removalOf(readable(measurement), ['date', 'instrument', 'value']);
      await this.audit.record(actor, entry('measurement.delete', measurement, patient, changes, reason), manager);
    });
  }
}

/** The measurement in the unit users read (CCQ 1.6, not 16): what a correction compares and the history shows. */
function readable(m: MeasurementEntity): { date: string; instrument: Instrument; value: number } {
  return { date: m.date, instrument: m.instrument, value: fromStoredMeasurementValue(m.instrument, m.value) };
}

/** A POST that would overwrite a stored value without saying why: a silent correction, refused (issue 14). */
function correctionNeedsReason(dto: CreateMeasurementDto, stored: number) {
  const code = 'MEASUREMENT.CORRECTION_NEEDS_REASON';
  const day = `${dto.date.slice(8, 10)}-${dto.date.slice(5, 7)}-${dto.date.slice(0, 4)}`;
  return conflict(
    code,
    `Er staat al een ${dto.instrument}-meting op ${day} met waarde ${stored}; er is niets gewijzigd. Geef een reden (reason) om die te corrigeren naar ${dto.value}.`,
    [
      {
        code,
        path: 'reason',
        message: `Op ${day} staat al een ${dto.instrument}-meting met waarde ${stored}. Geef de reden van de correctie naar ${dto.value}.`,
        params: { value: dto.value, stored, date: dto.date, instrument: dto.instrument },
      },
    ],
  );
}

/** A correction's audit row keeps the changed fields (from, to) in its details and the reason in its own column. */
function entry(action: string, m: MeasurementEntity, patient: PatientRow, changes?: FieldChange[], reason?: string) {
  return {
    action,
    resourceType: 'measurement',
    resourceId: m.id,
    patientPseudonym: patient.pseudonym,
    detail: {
      date: m.date,
      instrument: m.instrument,
      value: fromStoredMeasurementValue(m.instrument, m.value),
      ...(changes ? { changes } : {}),
    } as Record<string, unknown>,
    reason: reason ?? null,
  };
}
