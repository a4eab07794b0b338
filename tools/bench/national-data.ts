/**
 * A national-scale experiment for the benchmark, generated inside PostgreSQL: 1,500 practices,
 * 8 insurers, 100,000 patients, about 6 million sessions and 1.1 million measurements. Every "random"
 * choice is a hash of (what, row key), so the same parameters always give the same rows, whatever plan
 * PostgreSQL picks. Sessions and measurements respect the domain rules (inside the patient's period and
 * a contract, nothing after the analysis date), so the recompute does realistic work.
 */
import { hash } from 'node:crypto';
import { Client } from 'pg';
import { Random } from '../../apps/api/src/modules/demo-data/random';
import { SessionBulkLoadRepository, type SessionLoadRow } from '../../apps/api/src/modules/exchange/session-bulk-load.repository';

export interface NationalDataOptions {
  practices: number;
  patients: number;
  analysisDate: string;
}

export const NATIONAL_DEFAULTS: NationalDataOptions = { practices: 1500, patients: 100_000, analysisDate: '2026-09-30' };

/** Prints one figure: name, value, unit (the benchmark's JSON line). */
export type FigureReport = (name: string, value: number, unit: string) => void;

export async function loadNationalData(client: Client, options: NationalDataOptions, report?: FigureReport): Promise<Record<string, number>> {
  const { practices, patients, analysisDate } = options;
  await client.query(`
    CREATE OR REPLACE FUNCTION pg_temp.h(key text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
    $$ SELECT (('x' || substr(md5(key), 1, 8))::bit(32)::int::bigint & 2147483647) / 2147483648.0 $$`);
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO experiments (code, name, policy_reference, start_date, end_date, analysis_date)
     VALUES ('BENCH', 'Benchmark: national scale', 'BR/REG-25147', '2025-01-01', '2029-12-31', $1)`,
    [analysisDate],
  );
  await client.query(`
    INSERT INTO insurers (uzovi, name) SELECT (3300 + i)::text, 'Verzekeraar ' || i FROM generate_series(1, 8) i`);
  await client.query(
    `INSERT INTO practices (agb, name, region)
     SELECT lpad((4000000 + i)::text, 8, '0'), 'Praktijk ' || i,
            (ARRAY['Groningen','Friesland','Drenthe','Overijssel','Flevoland','Gelderland','Utrecht',
                   'Noord-Holland','Zuid-Holland','Zeeland','Noord-Brabant','Limburg'])[1 + i % 12]
     FROM generate_series(1, $1::int) i`,
    [practices],
  );
  // Each practice contracts 4 insurers, all in the practice's arm; a 2025 contract and a 2026-2029
  // renewal with tariffs indexed by 3%.
  await client.query(`
    WITH p AS (SELECT id, row_number() OVER (ORDER BY agb) AS n FROM practices),
         i AS (SELECT id, row_number() OVER (ORDER BY uzovi) AS m FROM insurers)
    INSERT INTO contracts (experiment_id, practice_id, insurer_id, arm, valid_from, valid_to,
      bundle_intake_cents, bundle_quarter_cents, ffs_intake_cents, ffs_session_cents,
      ffs_home_supplement_cents, ffs_group_session_cents)
    SELECT e.id, p.id, i.id, CASE WHEN p.n % 2 = 0 THEN 'BUNDLE' ELSE 'FFS' END, period.f, period.t,
           round(9000 * period.idx), round(36000 * period.idx), round(6500 * period.idx),
           round(4000 * period.idx), round(2000 * period.idx), round(1800 * period.idx)
    FROM experiments e CROSS JOIN p CROSS JOIN generate_series(0, 3) k
    JOIN i ON i.m = 1 + (p.n + 2 * k) % 8
    CROSS JOIN (VALUES ('2025-01-01'::date, '2025-12-31'::date, 1.0), ('2026-01-01', '2029-12-31', 1.03)) period (f, t, idx)
    WHERE e.code = 'BENCH'`);
  // Patients: intake spread over 2025-01-01 .. the day before the analysis date; GOLD 2/3/4 about
  // 50/35/15%, profiles weighted to 2-4; 10% ended (drop-out) before the analysis date.
  await client.query(
    `WITH p AS (SELECT id, row_number() OVER (ORDER BY agb) AS n, CASE WHEN row_number() OVER (ORDER BY agb) % 2 = 0 THEN 'BUNDLE' ELSE 'FFS' END AS arm FROM practices),
          i AS (SELECT id, row_number() OVER (ORDER BY uzovi) AS m FROM insurers),
          base AS (
            SELECT g AS k, 1 + g % $2::int AS practice_n,
                   ('2025-01-01'::date + floor(pg_temp.h('intake' || g) * ($3::date - '2025-01-01'::date))::int) AS intake,
                   pg_temp.h('gold' || g) AS rg, pg_temp.h('profile' || g) AS rp, pg_temp.h('end' || g) AS re
            FROM generate_series(1, $1::int) g)
     INSERT INTO patients (experiment_id, practice_id, insurer_id, ref, pseudonym, arm, birth_year, sex, gold_stage,
                           profile, referral_date, intake_date, end_date, end_reason)
     SELECT e.id, p.id, i.id, 'B' || b.k, 'P-BENCH' || lpad(b.k::text, 9, '0'), p.arm,
            extract(year FROM b.intake)::int - 45 - floor(pg_temp.h('age' || b.k) * 40)::int,
            CASE WHEN pg_temp.h('sex' || b.k) < 0.48 THEN 'F' ELSE 'M' END,
            CASE WHEN b.rg < 0.5 THEN 2 WHEN b.rg < 0.85 THEN 3 ELSE 4 END,
            CASE WHEN b.rp < 0.05 THEN 1 WHEN b.rp < 0.3 THEN 2 WHEN b.rp < 0.6 THEN 3 WHEN b.rp < 0.85 THEN 4
                 WHEN b.rp < 0.97 THEN 5 ELSE 6 END,
            b.intake - (3 + floor(pg_temp.h('wait' || b.k) * 30)::int), b.intake,
            CASE WHEN b.re < 0.1 THEN LEAST($3::date, b.intake + 30 + floor(pg_temp.h('len' || b.k) * 300)::int) END,
            CASE WHEN b.re < 0.1 THEN 'DROPPED_OUT' END
     FROM base b JOIN p ON p.n = b.practice_n
     JOIN i ON i.m = 1 + (p.n + 2 * (b.k % 4)) % 8
     CROSS JOIN experiments e WHERE e.code = 'BENCH'`,
    [patients, practices, analysisDate],
  );
  // Sessions: 22-108 per patient (about 65), evenly spread over [intake, min(end, analysis date)),
  // so dates are distinct and none falls on the analysis date itself (the benchmark writes there).
  // Generated here (benchHash is pg_temp.h in Node, so the patients' session counts and dates are the ones the SQL
  // generator made before; the kinds are drawn per patient, benchSessions) and written as an operator's initial load
  // into the empty table is (SessionBulkLoadRepository.loadInitial; the loader is a superuser): each row's care
  // quarter and contract derived in Node, COPYed straight into therapy_sessions as the generator yields them, then
  // the keys and the row trigger built again. sessions_load_rows_per_second times all of it.
  // Statistics on the rows just written in this transaction: the planner's later statements need them.
  await client.query('ANALYZE practices, insurers, contracts, patients');
  const sessionsStarted = process.hrtime.bigint();
  const { rows: spans } = await client.query<{ id: string; intake: string; days: number }>(
    `SELECT id, intake_date::text AS intake, GREATEST(LEAST(COALESCE(end_date, $1::date), $1::date) - intake_date, 1) AS days
     FROM patients`,
    [analysisDate],
  );
  let copiedSeconds = 0;
  const created = await new SessionBulkLoadRepository().loadInitial(client, benchSessions(spans), undefined, 0, () => {
    copiedSeconds = Number(process.hrtime.bigint() - sessionsStarted) / 1e9;
  });
  const sessionSeconds = Number(process.hrtime.bigint() - sessionsStarted) / 1e9;
  const sessionRows = [...created.values()].reduce((a, b) => a + b, 0);
  report?.('sessions_load_seconds', sessionSeconds, 's');
  report?.('sessions_load_rows_per_second', sessionRows / sessionSeconds, 'rows/s');
  // The two parts: generating, deriving and COPYing the rows (interleaved: PostgreSQL parses one chunk while Node
  // makes the next), and building the keys and the trigger again.
  report?.('sessions_load_copy_seconds', copiedSeconds, 's');
  report?.('sessions_load_keys_seconds', sessionSeconds - copiedSeconds, 's');
  // Measurements at baseline, 3, 6 and 12 months (6MWT, CCQ, CAT, mMRC, steps per day), about 15%
  // missing, none after the analysis date or the end date; plausible improvement. The 6-month ones fall
  // in no indicator window, as in practice.
  await client.query(
    `INSERT INTO measurements (patient_id, date, instrument, value)
     SELECT p.id, p.intake_date + w.offset_days, ins.name,
            CASE ins.name
              WHEN 'SIX_MWT' THEN LEAST(1200, 300 + floor(pg_temp.h('w' || p.id) * 200)::int + w.gain * 10)
              WHEN 'CCQ' THEN GREATEST(0, LEAST(60, 25 + floor(pg_temp.h('c' || p.id) * 20)::int - w.gain))
              WHEN 'CAT' THEN GREATEST(0, LEAST(40, 18 + floor(pg_temp.h('t' || p.id) * 12)::int - w.gain))
              WHEN 'STEPS' THEN LEAST(60000, 2000 + floor(pg_temp.h('s' || p.id) * 6000)::int + w.gain * 300)
              ELSE LEAST(4, 1 + floor(pg_temp.h('m' || p.id) * 3)::int) END
     FROM patients p
     CROSS JOIN (VALUES (-7, 0), (91, 3), (182, 3), (365, 4)) w (offset_days, gain)
     CROSS JOIN (VALUES ('SIX_MWT'), ('CCQ'), ('CAT'), ('MMRC'), ('STEPS')) ins (name)
     WHERE p.intake_date + w.offset_days <= LEAST(COALESCE(p.end_date, $1::date), $1::date)
       AND p.intake_date + w.offset_days >= p.referral_date
       AND pg_temp.h(p.id::text || ins.name || w.offset_days) >= 0.15`,
    [analysisDate],
  );
  // Exacerbations and admissions, more in higher GOLD stages.
  await client.query(
    `INSERT INTO events (patient_id, date, kind)
     SELECT DISTINCT p.id, p.intake_date + 20 + k * 97, CASE WHEN pg_temp.h(p.id::text || 'sev' || k) < 0.2 THEN 'HOSPITAL_ADMISSION'
                                                         WHEN pg_temp.h(p.id::text || 'sev' || k) < 0.4 THEN 'EXACERBATION_SEVERE'
                                                         ELSE 'EXACERBATION_MODERATE' END
     FROM patients p CROSS JOIN generate_series(0, 5) k
     WHERE p.intake_date + 20 + k * 97 <= LEAST(COALESCE(p.end_date, $1::date), $1::date)
       AND pg_temp.h(p.id::text || 'ev' || k) < 0.12 * p.gold_stage`,
    [analysisDate],
  );
  await client.query('COMMIT');
  // Leave the database as autovacuum and the checkpointer would have long before any recompute in
  // production: without this, autovacuum works through the millions of new rows and a checkpoint writes
  // them out while the figures are being timed.
  await client.query('VACUUM (ANALYZE)');
  await client.query('CHECKPOINT');
  const counts: Record<string, number> = {};
  for (const table of ['practices', 'contracts', 'patients', 'therapy_sessions', 'measurements', 'events']) {
    counts[table] = (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  }
  return counts;
}

/** pg_temp.h of the SQL generator: the first 32 bits of the key's MD5, sign bit cleared, over 2^31. */
function benchHash(key: string): number {
  return (parseInt(hash('md5', key).slice(0, 8), 16) & 0x7fffffff) / 2147483648;
}

/**
 * The sessions of the SQL generator this replaced: `wanted` = 22 + floor(h('n' || id) * 87) rows per patient, row k
 * on intake + floor(k * days / least(wanted, days)) (integer division). Each row's kind is drawn from a seeded source
 * per patient (the demo generator's Random, seeded with h('kinds' || id)), no longer from an MD5 per row: h(id || k)
 * for each of the 6.1 M rows was 6.1-6.5 s of the generator's CPU, which the staging COPY waited for (until 12-04 the
 * kinds were the SQL generator's too; the counts, dates and the 70/20/10 mix of kinds are unchanged).
 */
function* benchSessions(spans: { id: string; intake: string; days: number }[]): Generator<SessionLoadRow> {
  // Day numbers since 1970 and their ISO text, each made once: a few thousand days for 6.1 M rows. Not the domain's
  // addDays: js-joda took 2.1 us a call against 0.5 for Date arithmetic, and the lookup less again (generating the
  // 6.1 M rows, without encoding them, took 10.6 s with Date arithmetic and 4.0 s with the lookup).
  const dayText = new Map<number, string>();
  const isoDay = (day: number) => {
    let text = dayText.get(day);
    if (text === undefined) dayText.set(day, (text = new Date(day * 86_400_000).toISOString().slice(0, 10)));
    return text;
  };
  for (const { id, intake, days } of spans) {
    const n = Math.min(22 + Math.floor(benchHash(`n${id}`) * 87), days);
    const first = Date.parse(`${intake}T00:00:00Z`) / 86_400_000;
    const kinds = new Random(Math.floor(benchHash(`kinds${id}`) * 2147483648));
    for (let k = 0; k < n; k++) {
      const r = kinds.next();
      yield { patientId: id, date: isoDay(first + Math.trunc((k * days) / n)), kind: r < 0.7 ? 'INDIVIDUAL' : r < 0.9 ? 'GROUP' : 'HOME' };
    }
  }
}
