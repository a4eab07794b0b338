import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { fromStoredMeasurementValue, type ContractTerms, type Instrument } from '@copd/domain';
import type { StoredForPlan, StoredPatient } from './import-planner';
import { patientKey, recordKey } from './import-planner';

/** A practice filter: null for every practice of the experiment. */
type Practices = readonly string[] | null;

export interface ExportPatientRow extends StoredPatient {
  practice: string;
}

/**
 * The import's SQL: the stored state a plan compares with, read set-based (one query per table for the whole
 * experiment, or the practices named), and the CSV export's reads in a stable order. Writes go through the
 * exchange document's write path (ExchangeService), never here.
 */
@Injectable()
export class InterchangeRepository {
  constructor(private readonly dataSource: DataSource) {}

  snapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', work);
  }

  async storedState(manager: EntityManager, experimentId: string, practices: Practices): Promise<StoredForPlan> {
    const filter = practices === null ? '' : 'AND pr.agb = ANY($2::text[])';
    const params = practices === null ? [experimentId] : [experimentId, practices];
    const contractRows: ContractSqlRow[] = await manager.query(
      `SELECT pr.agb AS practice, i.uzovi AS insurer, c.arm, c.valid_from, c.valid_to,
         c.bundle_intake_cents AS bi, c.bundle_quarter_cents AS bq, c.ffs_intake_cents AS fi, c.ffs_session_cents AS fs,
         c.ffs_home_supplement_cents AS fh, c.ffs_group_session_cents AS fg
       FROM contracts c JOIN practices pr ON pr.id = c.practice_id JOIN insurers i ON i.id = c.insurer_id
       WHERE c.experiment_id = $1 ${filter}`,
      params,
    );
    const patients = await this.patients(manager, experimentId, practices);
    const keyed = (rows: { agb: string; ref: string; a: string; b: string }[]) => new Set(rows.map((r) => recordKey(r.agb, r.ref, r.a, r.b)));
    const sessions = keyed(
      await manager.query(
        `SELECT pr.agb, p.ref, s.date AS a, s.kind AS b FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id
         JOIN practices pr ON pr.id = p.practice_id WHERE p.experiment_id = $1 ${filter}`,
        params,
      ),
    );
    const events = keyed(
      await manager.query(
        `SELECT pr.agb, p.ref, e.date AS a, e.kind AS b FROM events e JOIN patients p ON p.id = e.patient_id
         JOIN practices pr ON pr.id = p.practice_id WHERE p.experiment_id = $1 ${filter}`,
        params,
      ),
    );
    const measurementRows: { agb: string; ref: string; instrument: Instrument; date: string; value: number }[] = await manager.query(
      `SELECT pr.agb, p.ref, m.instrument, m.date, m.value FROM measurements m JOIN patients p ON p.id = m.patient_id
       JOIN practices pr ON pr.id = p.practice_id WHERE p.experiment_id = $1 ${filter}`,
      params,
    );
    const measurements = new Map(
      measurementRows.map((m) => [recordKey(m.agb, m.ref, m.instrument, m.date), fromStoredMeasurementValue(m.instrument, m.value)]),
    );
    return {
      contracts: contractRows.map(toContract),
      patients: new Map(patients.map((p) => [patientKey(p.practice, p.ref), p])),
      sessions,
      measurements,
      events,
    };
  }

  async patients(manager: EntityManager, experimentId: string, practices: Practices): Promise<ExportPatientRow[]> {
    const rows: PatientSqlRow[] = await manager.query(
      `SELECT p.ref, pr.agb AS practice, i.uzovi AS insurer, p.birth_year, p.sex, p.gold_stage, p.profile,
         p.referral_date, p.intake_date, p.end_date, p.end_reason, p.pseudonym
       FROM patients p JOIN practices pr ON pr.id = p.practice_id JOIN insurers i ON i.id = p.insurer_id
       WHERE p.experiment_id = $1 ${practices === null ? '' : 'AND pr.agb = ANY($2::text[])'}
       ORDER BY pr.agb COLLATE "C", p.ref COLLATE "C"`,
      practices === null ? [experimentId] : [experimentId, practices],
    );
    return rows.map((r) => ({
      ref: r.ref,
      practice: r.practice,
      insurer: r.insurer,
      birthYear: r.birth_year,
      sex: r.sex,
      goldStage: r.gold_stage,
      profile: r.profile,
      referralDate: r.referral_date,
      intakeDate: r.intake_date,
      endDate: r.end_date,
      endReason: r.end_reason,
      pseudonym: r.pseudonym,
    }));
  }

  /** Records of one kind for the CSV export, by practice, patient, date and kind/instrument (byte order). */
  exportRecords(manager: EntityManager, experimentId: string, kind: 'sessions' | 'measurements' | 'events', practices: Practices): Promise<ExportRecordRow[]> {
    const [table, extra, order] =
      kind === 'sessions'
        ? ['therapy_sessions', 'x.kind', 'x.kind COLLATE "C"']
        : kind === 'events'
          ? ['events', 'x.kind', 'x.kind COLLATE "C"']
          : ['measurements', 'x.instrument, x.value', 'x.instrument COLLATE "C"'];
    return manager.query(
      `SELECT pr.agb AS practice, p.ref, x.date, ${extra}
       FROM ${table} x JOIN patients p ON p.id = x.patient_id JOIN practices pr ON pr.id = p.practice_id
       WHERE p.experiment_id = $1 ${practices === null ? '' : 'AND pr.agb = ANY($2::text[])'}
       ORDER BY pr.agb COLLATE "C", p.ref COLLATE "C", x.date, ${order}`,
      practices === null ? [experimentId] : [experimentId, practices],
    );
  }
}

export interface ExportRecordRow {
  practice: string;
  ref: string;
  date: string;
  kind?: string;
  instrument?: Instrument;
  /** Stored unit (CCQ in tenths). */
  value?: number;
}

interface ContractSqlRow {
  practice: string;
  insurer: string;
  arm: 'BUNDLE' | 'FFS';
  valid_from: string;
  valid_to: string;
  bi: number;
  bq: number;
  fi: number;
  fs: number;
  fh: number;
  fg: number;
}

function toContract(r: ContractSqlRow): ContractTerms {
  return {
    practice: r.practice,
    insurer: r.insurer,
    arm: r.arm,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    bundle: { intake: r.bi, quarter: r.bq },
    ffs: { intake: r.fi, session: r.fs, homeSupplement: r.fh, groupSession: r.fg },
  };
}

interface PatientSqlRow {
  ref: string;
  practice: string;
  insurer: string;
  birth_year: number;
  sex: StoredPatient['sex'];
  gold_stage: number;
  profile: number;
  referral_date: string;
  intake_date: string;
  end_date: string | null;
  end_reason: StoredPatient['endReason'];
  pseudonym: string;
}
