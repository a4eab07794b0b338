import { Injectable } from '@nestjs/common';
import type { ClientBase } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { ContractTerms, Enrolment, IsoDate } from '@copd/domain';
import { SessionBulkLoadRepository, type SessionLoadOptions } from './session-bulk-load.repository';
import type {
  EntityCounts,
  ExchangeContract,
  ExchangeEvent,
  ExchangeExperiment,
  ExchangeInsurer,
  ExchangeMeasurement,
  ExchangePatient,
  ExchangePractice,
  ExchangeSession,
} from './exchange-document';

/** Rows per statement for the bulk writes: large enough to amortise a round trip, small enough for memory. */
const CHUNK = 20_000;

export interface StoredPatientRow extends Enrolment {
  id: string;
  pseudonym: string;
}

export interface PatientRow {
  practiceId: string;
  insurerId: string;
  ref: string;
  pseudonym: string;
  arm: string;
  patient: ExchangePatient;
}

export interface ChangedPatient {
  id: string;
  pseudonym: string;
  inserted: boolean;
}

/** Per patient id: how many of its rows a bulk write created or updated. */
export type ChangesByPatient = Map<string, { created: number; updated: number }>;

/**
 * The exchange document's SQL: set-based reads of an experiment's stored state and bulk upserts keyed on the
 * natural keys (INSERT ... SELECT FROM unnest(...) ON CONFLICT ... DO UPDATE ... WHERE the values differ), so an
 * unchanged row is never rewritten and a re-import is a no-op. Writes take the import transaction's manager.
 */
@Injectable()
export class ExchangeRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessionLoad: SessionBulkLoadRepository,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A consistent snapshot for an export that reads several tables. */
  snapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', work);
  }

  /** Serialises imports of one experiment (two at once would validate against each other's unwritten state). */
  async lockExperiment(manager: EntityManager, code: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('exchange-import:' || $1))`, [code]);
  }

  async experimentCount(): Promise<number> {
    const rows: { n: number }[] = await this.dataSource.query(`SELECT count(*)::int AS n FROM experiments`);
    return rows[0].n;
  }

  async storedCodes(manager: EntityManager, agbs: string[], uzovis: string[]): Promise<{ practices: Set<string>; insurers: Set<string> }> {
    const practices: { agb: string }[] = await manager.query(`SELECT agb FROM practices WHERE agb = ANY($1::text[])`, [agbs]);
    const insurers: { uzovi: string }[] = await manager.query(`SELECT uzovi FROM insurers WHERE uzovi = ANY($1::text[])`, [uzovis]);
    return { practices: new Set(practices.map((r) => r.agb)), insurers: new Set(insurers.map((r) => r.uzovi)) };
  }

  async storedContracts(manager: EntityManager, experimentId: string): Promise<ContractTerms[]> {
    const rows: ContractRow[] = await manager.query(`${CONTRACT_SELECT} WHERE c.experiment_id = $1 ${CONTRACT_ORDER}`, [experimentId]);
    return rows.map(toContract);
  }

  async storedPatients(manager: EntityManager, experimentId: string): Promise<StoredPatientRow[]> {
    const rows: (PatientSqlRow & { id: string; pseudonym: string })[] = await manager.query(
      `${PATIENT_SELECT}, p.id, p.pseudonym ${PATIENT_FROM} WHERE p.experiment_id = $1`,
      [experimentId],
    );
    return rows.map((r) => ({ ...toPatient(r), id: r.id, pseudonym: r.pseudonym }));
  }

  /** Stored sessions of the given pairs ([agb, uzovi]) with their patient's pseudonym and number, to name them in errors. */
  async sessionsByPair(
    manager: EntityManager,
    experimentId: string,
    pairs: [string, string][],
  ): Promise<{ agb: string; uzovi: string; pseudonym: string; ref: string; date: IsoDate; kind: string }[]> {
    if (pairs.length === 0) return [];
    return manager.query(
      `SELECT pr.agb, i.uzovi, p.pseudonym, p.ref, s.date, s.kind
       FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id
       JOIN practices pr ON pr.id = p.practice_id JOIN insurers i ON i.id = p.insurer_id
       JOIN unnest($2::text[], $3::text[]) AS u(agb, uzovi) ON u.agb = pr.agb AND u.uzovi = i.uzovi
       WHERE p.experiment_id = $1`,
      [experimentId, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
  }

  /** Stored record dates of the given patients, split into sessions and observations (measurements, events). */
  async recordDates(manager: EntityManager, patientIds: string[]): Promise<{ patientId: string; kind: 'S' | 'O'; date: IsoDate }[]> {
    if (patientIds.length === 0) return [];
    return manager.query(
      `SELECT patient_id AS "patientId", 'S' AS kind, date FROM therapy_sessions WHERE patient_id = ANY($1::uuid[])
       UNION ALL SELECT patient_id, 'O', date FROM measurements WHERE patient_id = ANY($1::uuid[])
       UNION ALL SELECT patient_id, 'O', date FROM events WHERE patient_id = ANY($1::uuid[])`,
      [patientIds],
    );
  }

  async upsertExperiment(manager: EntityManager, e: ExchangeExperiment): Promise<{ id: string; counts: EntityCounts }> {
    const rows: { id: string; inserted: boolean }[] = await manager.query(
      `INSERT INTO experiments (code, name, start_date, end_date, analysis_date) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, start_date = EXCLUDED.start_date,
         end_date = EXCLUDED.end_date, analysis_date = EXCLUDED.analysis_date, updated_at = now()
       WHERE (experiments.name, experiments.start_date, experiments.end_date, experiments.analysis_date)
         IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.start_date, EXCLUDED.end_date, EXCLUDED.analysis_date)
       RETURNING id, (xmax = 0) AS inserted`,
      [e.code, e.name, e.start, e.end, e.analysisDate],
    );
    if (rows.length === 1) return { id: rows[0].id, counts: counted(rows, 1) };
    const existing: { id: string }[] = await manager.query(`SELECT id FROM experiments WHERE code = $1`, [e.code]);
    return { id: existing[0].id, counts: { created: 0, updated: 0, unchanged: 1 } };
  }

  async upsertInsurers(manager: EntityManager, insurers: ExchangeInsurer[]): Promise<EntityCounts> {
    const rows = await manager.query(
      `INSERT INTO insurers (uzovi, name) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (uzovi) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
       WHERE insurers.name IS DISTINCT FROM EXCLUDED.name
       RETURNING (xmax = 0) AS inserted`,
      [insurers.map((i) => i.uzovi), insurers.map((i) => i.name)],
    );
    return counted(rows, insurers.length);
  }

  async upsertPractices(manager: EntityManager, practices: ExchangePractice[]): Promise<EntityCounts> {
    const rows = await manager.query(
      `INSERT INTO practices (agb, name, region) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (agb) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region, updated_at = now()
       WHERE (practices.name, practices.region) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.region)
       RETURNING (xmax = 0) AS inserted`,
      [practices.map((p) => p.agb), practices.map((p) => p.name), practices.map((p) => p.region)],
    );
    return counted(rows, practices.length);
  }

  async practiceIds(manager: EntityManager, agbs: string[]): Promise<Map<string, string>> {
    const rows: { id: string; agb: string }[] = await manager.query(`SELECT id, agb FROM practices WHERE agb = ANY($1::text[])`, [agbs]);
    return new Map(rows.map((r) => [r.agb, r.id]));
  }

  async insurerIds(manager: EntityManager, uzovis: string[]): Promise<Map<string, string>> {
    const rows: { id: string; uzovi: string }[] = await manager.query(`SELECT id, uzovi FROM insurers WHERE uzovi = ANY($1::text[])`, [uzovis]);
    return new Map(rows.map((r) => [r.uzovi, r.id]));
  }

  /**
   * Contracts have no unique constraint to upsert on (only the no-overlap exclusion), so: update the ones whose
   * key (practice, insurer, validFrom) exists and whose terms differ, then insert the ones that do not exist.
   * Also returns the practice x insurer pairs whose contracts changed: their patients' arms are derived again.
   */
  async upsertContracts(
    manager: EntityManager,
    experimentId: string,
    contracts: (ExchangeContract & { practiceId: string; insurerId: string })[],
  ): Promise<{ counts: EntityCounts; changedPairs: { practiceId: string; insurerId: string }[] }> {
    const params = [
      experimentId,
      contracts.map((c) => c.practiceId),
      contracts.map((c) => c.insurerId),
      contracts.map((c) => c.arm),
      contracts.map((c) => c.validFrom),
      contracts.map((c) => c.validTo),
      contracts.map((c) => c.bundle.intake),
      contracts.map((c) => c.bundle.quarter),
      contracts.map((c) => c.ffs.intake),
      contracts.map((c) => c.ffs.session),
      contracts.map((c) => c.ffs.homeSupplement),
      contracts.map((c) => c.ffs.groupSession),
    ];
    const input = `unnest($2::uuid[], $3::uuid[], $4::text[], $5::date[], $6::date[], $7::int[], $8::int[], $9::int[],
                          $10::int[], $11::int[], $12::int[])
      AS u(practice_id, insurer_id, arm, valid_from, valid_to, bi, bq, fi, fs, fh, fg)`;
    const updated: unknown[] = await manager.query(
      `UPDATE contracts c SET arm = u.arm, valid_to = u.valid_to, bundle_intake_cents = u.bi, bundle_quarter_cents = u.bq,
         ffs_intake_cents = u.fi, ffs_session_cents = u.fs, ffs_home_supplement_cents = u.fh, ffs_group_session_cents = u.fg,
         updated_at = now()
       FROM ${input}
       WHERE c.experiment_id = $1 AND c.practice_id = u.practice_id AND c.insurer_id = u.insurer_id AND c.valid_from = u.valid_from
         AND (c.arm, c.valid_to, c.bundle_intake_cents, c.bundle_quarter_cents, c.ffs_intake_cents, c.ffs_session_cents,
              c.ffs_home_supplement_cents, c.ffs_group_session_cents)
             IS DISTINCT FROM (u.arm, u.valid_to, u.bi, u.bq, u.fi, u.fs, u.fh, u.fg)
       RETURNING c.id, c.practice_id AS "practiceId", c.insurer_id AS "insurerId"`,
      params,
    );
    const inserted: PairIdRow[] = await manager.query(
      `INSERT INTO contracts (experiment_id, practice_id, insurer_id, arm, valid_from, valid_to, bundle_intake_cents,
         bundle_quarter_cents, ffs_intake_cents, ffs_session_cents, ffs_home_supplement_cents, ffs_group_session_cents)
       SELECT $1, u.* FROM ${input}
       WHERE NOT EXISTS (SELECT 1 FROM contracts c WHERE c.experiment_id = $1 AND c.practice_id = u.practice_id
                           AND c.insurer_id = u.insurer_id AND c.valid_from = u.valid_from)
       RETURNING id, practice_id AS "practiceId", insurer_id AS "insurerId"`,
      params,
    );
    const updatedRows = updatedRowsOf<PairIdRow>(updated);
    const changed = updatedRows.length + inserted.length;
    const changedPairs = new Map([...updatedRows, ...inserted].map((r) => [`${r.practiceId}:${r.insurerId}`, r]));
    return {
      counts: { created: inserted.length, updated: changed - inserted.length, unchanged: contracts.length - changed },
      changedPairs: [...changedPairs.values()].map((r) => ({ practiceId: r.practiceId, insurerId: r.insurerId })),
    };
  }

  async upsertPatients(manager: EntityManager, experimentId: string, patients: PatientRow[], onChunk?: (n: number) => void): Promise<ChangedPatient[]> {
    const changed: ChangedPatient[] = [];
    for (const chunk of chunks(patients)) {
      const rows: ChangedPatient[] = await manager.query(
        `INSERT INTO patients (experiment_id, practice_id, insurer_id, ref, pseudonym, arm, birth_year, sex, gold_stage, profile,
                               referral_date, intake_date, end_date, end_reason)
         SELECT $1, u.* FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::smallint[], $8::text[],
                                    $9::smallint[], $10::smallint[], $11::date[], $12::date[], $13::date[], $14::text[])
           AS u(practice_id, insurer_id, ref, pseudonym, arm, birth_year, sex, gold_stage, profile, referral_date, intake_date,
                end_date, end_reason)
         ON CONFLICT (experiment_id, practice_id, ref) DO UPDATE SET insurer_id = EXCLUDED.insurer_id, arm = EXCLUDED.arm,
           birth_year = EXCLUDED.birth_year, sex = EXCLUDED.sex, gold_stage = EXCLUDED.gold_stage, profile = EXCLUDED.profile,
           referral_date = EXCLUDED.referral_date, intake_date = EXCLUDED.intake_date, end_date = EXCLUDED.end_date,
           end_reason = EXCLUDED.end_reason, updated_at = now()
         WHERE (patients.insurer_id, patients.arm, patients.birth_year, patients.sex, patients.gold_stage, patients.profile,
                patients.referral_date, patients.intake_date, patients.end_date, patients.end_reason)
           IS DISTINCT FROM (EXCLUDED.insurer_id, EXCLUDED.arm, EXCLUDED.birth_year, EXCLUDED.sex, EXCLUDED.gold_stage,
                EXCLUDED.profile, EXCLUDED.referral_date, EXCLUDED.intake_date, EXCLUDED.end_date, EXCLUDED.end_reason)
         RETURNING id, pseudonym, (xmax = 0) AS inserted`,
        [
          experimentId,
          chunk.map((r) => r.practiceId),
          chunk.map((r) => r.insurerId),
          chunk.map((r) => r.ref),
          chunk.map((r) => r.pseudonym),
          chunk.map((r) => r.arm),
          chunk.map((r) => r.patient.birthYear),
          chunk.map((r) => r.patient.sex),
          chunk.map((r) => r.patient.goldStage),
          chunk.map((r) => r.patient.profile),
          chunk.map((r) => r.patient.referralDate),
          chunk.map((r) => r.patient.intakeDate),
          chunk.map((r) => r.patient.endDate ?? null),
          chunk.map((r) => r.patient.endReason ?? null),
        ],
      );
      changed.push(...rows);
      onChunk?.(chunk.length);
    }
    return changed;
  }

  /** Ids and pseudonyms of the experiment's patients by patientKey-able (agb, ref). */
  async patientIds(manager: EntityManager, experimentId: string): Promise<{ id: string; agb: string; ref: string; pseudonym: string }[]> {
    return manager.query(
      `SELECT p.id, pr.agb, p.ref, p.pseudonym FROM patients p JOIN practices pr ON pr.id = p.practice_id WHERE p.experiment_id = $1`,
      [experimentId],
    );
  }

  /**
   * Sessions carry no values besides their key: a stored one is unchanged, a new one created. Through COPY and the
   * set-based derivation of SessionBulkLoadRepository; rows already present are left alone.
   */
  async insertSessions(
    manager: EntityManager,
    rows: { patientId: string; date: IsoDate; kind: string }[],
    onChunk?: (n: number) => void,
    options: SessionLoadOptions = {},
  ): Promise<ChangesByPatient> {
    const created = await this.sessionLoad.insert(await pgClientOf(manager), rows, onChunk, options);
    return new Map([...created].map(([patientId, n]) => [patientId, { created: n, updated: 0 }]));
  }

  insertEvents(manager: EntityManager, rows: { patientId: string; date: IsoDate; kind: string }[], onChunk?: (n: number) => void): Promise<ChangesByPatient> {
    return this.bulk(
      manager,
      rows,
      `WITH ins AS (
         INSERT INTO events (patient_id, date, kind) SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[])
         ON CONFLICT (patient_id, date, kind) DO NOTHING RETURNING patient_id)
       SELECT patient_id, count(*)::int AS created, 0 AS updated FROM ins GROUP BY patient_id`,
      (chunk) => [chunk.map((r) => r.patientId), chunk.map((r) => r.date), chunk.map((r) => r.kind)],
      onChunk,
    );
  }

  /** Values in the stored unit (CCQ in tenths); a changed value for the same key is a correction. */
  upsertMeasurements(
    manager: EntityManager,
    rows: { patientId: string; date: IsoDate; instrument: string; value: number }[],
    onChunk?: (n: number) => void,
  ): Promise<ChangesByPatient> {
    return this.bulk(
      manager,
      rows,
      `WITH up AS (
         INSERT INTO measurements (patient_id, date, instrument, value)
         SELECT * FROM unnest($1::uuid[], $2::date[], $3::text[], $4::int[])
         ON CONFLICT (patient_id, instrument, date) DO UPDATE SET value = EXCLUDED.value, updated_at = now()
         WHERE measurements.value IS DISTINCT FROM EXCLUDED.value
         RETURNING patient_id, (xmax = 0) AS inserted)
       SELECT patient_id, (count(*) FILTER (WHERE inserted))::int AS created, (count(*) FILTER (WHERE NOT inserted))::int AS updated
       FROM up GROUP BY patient_id`,
      (chunk) => [chunk.map((r) => r.patientId), chunk.map((r) => r.date), chunk.map((r) => r.instrument), chunk.map((r) => r.value)],
      onChunk,
    );
  }

  private async bulk<R>(
    manager: EntityManager,
    rows: R[],
    sql: string,
    paramsOf: (chunk: R[]) => unknown[],
    onChunk?: (n: number) => void,
  ): Promise<ChangesByPatient> {
    const changes: ChangesByPatient = new Map();
    for (const chunk of chunks(rows)) {
      const result: { patient_id: string; created: number; updated: number }[] = await manager.query(sql, paramsOf(chunk));
      for (const r of result) {
        const before = changes.get(r.patient_id) ?? { created: 0, updated: 0 };
        changes.set(r.patient_id, { created: before.created + r.created, updated: before.updated + r.updated });
      }
      onChunk?.(chunk.length);
    }
    return changes;
  }

  // ---- export: stable order by natural key, byte-wise (COLLATE "C") so it does not depend on the server locale ----

  exportInsurers(manager: EntityManager, experimentId: string): Promise<ExchangeInsurer[]> {
    return manager.query(
      `SELECT uzovi, name FROM insurers WHERE id IN (SELECT insurer_id FROM contracts WHERE experiment_id = $1
                                                   UNION SELECT insurer_id FROM patients WHERE experiment_id = $1)
       ORDER BY uzovi COLLATE "C"`,
      [experimentId],
    );
  }

  exportPractices(manager: EntityManager, experimentId: string): Promise<ExchangePractice[]> {
    return manager.query(
      `SELECT agb, name, region FROM practices WHERE id IN (SELECT practice_id FROM contracts WHERE experiment_id = $1
                                                          UNION SELECT practice_id FROM patients WHERE experiment_id = $1)
       ORDER BY agb COLLATE "C"`,
      [experimentId],
    );
  }

  /** The pseudonyms of every patient an export returns, for its audit row. */
  async exportedPseudonyms(manager: EntityManager, experimentId: string): Promise<string[]> {
    const [row]: { pseudonyms: string[] }[] = await manager.query(
      `SELECT coalesce(array_agg(pseudonym ORDER BY pseudonym), '{}') AS pseudonyms FROM patients WHERE experiment_id = $1`,
      [experimentId],
    );
    return row.pseudonyms;
  }

  async exportContracts(manager: EntityManager, experimentId: string): Promise<ExchangeContract[]> {
    const rows: ContractRow[] = await manager.query(`${CONTRACT_SELECT} WHERE c.experiment_id = $1 ${CONTRACT_ORDER}`, [experimentId]);
    return rows.map(toContract);
  }

  async exportPatients(manager: EntityManager, experimentId: string): Promise<ExchangePatient[]> {
    const rows: PatientSqlRow[] = await manager.query(
      `${PATIENT_SELECT} ${PATIENT_FROM} WHERE p.experiment_id = $1 ORDER BY pr.agb COLLATE "C", p.ref COLLATE "C"`,
      [experimentId],
    );
    return rows.map(toPatient);
  }

  exportSessions(manager: EntityManager, experimentId: string): Promise<ExchangeSession[]> {
    return manager.query(
      `SELECT p.ref AS patient, pr.agb AS practice, s.date, s.kind
       FROM therapy_sessions s JOIN patients p ON p.id = s.patient_id JOIN practices pr ON pr.id = p.practice_id
       WHERE p.experiment_id = $1 ORDER BY pr.agb COLLATE "C", p.ref COLLATE "C", s.date, s.kind COLLATE "C"`,
      [experimentId],
    );
  }

  /** Values in the stored unit; the service converts them back to the unit users enter. */
  exportMeasurements(manager: EntityManager, experimentId: string): Promise<ExchangeMeasurement[]> {
    return manager.query(
      `SELECT p.ref AS patient, pr.agb AS practice, m.date, m.instrument, m.value
       FROM measurements m JOIN patients p ON p.id = m.patient_id JOIN practices pr ON pr.id = p.practice_id
       WHERE p.experiment_id = $1 ORDER BY pr.agb COLLATE "C", p.ref COLLATE "C", m.date, m.instrument COLLATE "C"`,
      [experimentId],
    );
  }

  exportEvents(manager: EntityManager, experimentId: string): Promise<ExchangeEvent[]> {
    return manager.query(
      `SELECT p.ref AS patient, pr.agb AS practice, e.date, e.kind
       FROM events e JOIN patients p ON p.id = e.patient_id JOIN practices pr ON pr.id = p.practice_id
       WHERE p.experiment_id = $1 ORDER BY pr.agb COLLATE "C", p.ref COLLATE "C", e.date, e.kind COLLATE "C"`,
      [experimentId],
    );
  }
}

interface ContractRow {
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

const CONTRACT_SELECT = `SELECT pr.agb AS practice, i.uzovi AS insurer, c.arm, c.valid_from, c.valid_to,
    c.bundle_intake_cents AS bi, c.bundle_quarter_cents AS bq, c.ffs_intake_cents AS fi, c.ffs_session_cents AS fs,
    c.ffs_home_supplement_cents AS fh, c.ffs_group_session_cents AS fg
  FROM contracts c JOIN practices pr ON pr.id = c.practice_id JOIN insurers i ON i.id = c.insurer_id`;
const CONTRACT_ORDER = `ORDER BY pr.agb COLLATE "C", i.uzovi COLLATE "C", c.valid_from`;

function toContract(r: ContractRow): ExchangeContract {
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
  sex: ExchangePatient['sex'];
  gold_stage: number;
  profile: number;
  referral_date: string;
  intake_date: string;
  end_date: string | null;
  end_reason: ExchangePatient['endReason'];
}

const PATIENT_SELECT = `SELECT p.ref, pr.agb AS practice, i.uzovi AS insurer, p.birth_year, p.sex, p.gold_stage, p.profile,
    p.referral_date, p.intake_date, p.end_date, p.end_reason`;
const PATIENT_FROM = `FROM patients p JOIN practices pr ON pr.id = p.practice_id JOIN insurers i ON i.id = p.insurer_id`;

function toPatient(r: PatientSqlRow): ExchangePatient {
  const patient: ExchangePatient = {
    ref: r.ref,
    practice: r.practice,
    insurer: r.insurer,
    birthYear: r.birth_year,
    sex: r.sex,
    goldStage: r.gold_stage,
    profile: r.profile,
    referralDate: r.referral_date,
    intakeDate: r.intake_date,
  };
  if (r.end_date !== null) {
    patient.endDate = r.end_date;
    patient.endReason = r.end_reason;
  }
  return patient;
}

/** The pg client under a transaction's EntityManager (COPY needs the driver's client, not TypeORM's query). */
async function pgClientOf(manager: EntityManager): Promise<ClientBase> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) throw new Error('a bulk session load runs inside a transaction');
  return (await runner.connect()) as ClientBase; // the runner's own connection, already open
}

function* chunks<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += CHUNK) yield rows.slice(i, i + CHUNK);
}

function counted(rows: { inserted: boolean }[], total: number): EntityCounts {
  const created = rows.filter((r) => r.inserted).length;
  return { created, updated: rows.length - created, unchanged: total - rows.length };
}

interface PairIdRow {
  practiceId: string;
  insurerId: string;
}

/** TypeORM returns [rows, affected] for UPDATE ... RETURNING on PostgreSQL. */
function updatedRowsOf<T>(result: unknown[]): T[] {
  return (Array.isArray(result[0]) ? result[0] : result) as T[];
}
