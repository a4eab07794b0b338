import { CARE_QUARTER_MONTHS } from '../pricing/care-quarters';
import { KNGF_MAX_SESSIONS_FIRST_YEAR, MCID_STORED } from '../pricing/guideline-constants';
import { DAYS_PER_YEAR, ELIGIBLE_AFTER_DAYS, GUIDELINE_YEAR_DAYS, MEASUREMENT_WINDOWS } from '../indicators/definitions';
import { ARMS, END_REASONS, EVENT_KINDS, GOLD_STAGES, INSTRUMENTS, KNGF_PROFILES, SESSION_KINDS, SEXES } from '../model';
import { MEASUREMENT_SCALES } from '../validation/measurement-rules';
import { MEASUREMENT_WINDOW_LABELS } from './measurement-window';

/*
 * The codebook of the analysis-ready export (issue 13, item 3): every file and every column with its type, unit,
 * allowed values and definition. The one source of the export's headers (the CSV writer takes each file's columns
 * from here, in this order) and of codebook.csv / codebook.md (inside every zip and in docs/). Allowed values and
 * thresholds are read from the domain's constants, so the words cannot drift from the rules either.
 */

/** How a value is written: integer and decimal with a decimal point, date YYYY-MM-DD, boolean 1/0, timestamp ISO 8601 UTC. */
export type CodebookType = 'string' | 'integer' | 'decimal' | 'date' | 'timestamp' | 'boolean';

export interface CodebookColumn {
  readonly name: string;
  readonly type: CodebookType;
  /** Empty when the column has no unit (codes, labels, counts of things named in the definition). */
  readonly unit: string;
  /** Allowed values or range; empty when any value of the type is allowed. */
  readonly allowed: string;
  /** Whether the field may be empty (a missing value). */
  readonly missing: boolean;
  readonly definition: string;
}

export interface CodebookFile {
  readonly file: string;
  /** What one row is. */
  readonly row: string;
  /** The columns that identify a row together. */
  readonly key: readonly string[];
  readonly definition: string;
  readonly columns: readonly CodebookColumn[];
}

const list = (values: readonly (string | number)[]) => values.join(', ');
const BOOLEAN = '1, 0';
const w = MEASUREMENT_WINDOWS;
const windows = `BASELINE [intake ${w.BASELINE.from}, intake + ${w.BASELINE.to}] days, FOLLOWUP_3M [intake + ${w.FOLLOWUP_3M.from}, intake + ${w.FOLLOWUP_3M.to}], FOLLOWUP_12M [intake + ${w.FOLLOWUP_12M.from}, intake + ${w.FOLLOWUP_12M.to}], all closed`;
const pickRule = (milestone: keyof typeof MEASUREMENT_WINDOWS) =>
  `dated in [intake ${sign(w[milestone].from)}, intake + ${w[milestone].to}] days and on or before the analysis date, the one closest to intake ${sign(w[milestone].target)} days (ties: the earlier)`;
function sign(n: number): string {
  return n < 0 ? `- ${-n}` : `+ ${n}`;
}
const scale = (i: keyof typeof MEASUREMENT_SCALES) => `${MEASUREMENT_SCALES[i].min}-${MEASUREMENT_SCALES[i].max}`;

function col(name: string, type: CodebookType, definition: string, extra: { unit?: string; allowed?: string; missing?: boolean } = {}): CodebookColumn {
  const allowed = extra.allowed ?? (type === 'boolean' ? BOOLEAN : '');
  return { name, type, unit: extra.unit ?? '', allowed, missing: extra.missing ?? false, definition };
}

const PSEUDONYM = col('pseudonym', 'string', 'The patient (one enrolment): P- followed by 16 hex digits of a keyed HMAC of experiment, practice and the practice\'s own number; stable across exports, meaningless without the key. The key to join the patient files.', { allowed: 'P-[0-9a-f]{16}' });
const PRACTICE_AGB = col('practice_agb', 'string', 'The practice, by its AGB code (8 digits, leading zeros kept: read it as text).', { allowed: '[0-9]{8}' });
const INSURER_UZOVI = col('insurer_uzovi', 'string', 'The insurer, by its UZOVI code (4 digits: read it as text).', { allowed: '[0-9]{4}' });
const ARM = col('arm', 'string', 'Payment arm: the arm of the contract in force on the intake date (DOMAIN.md 3); fixed for the enrolment.', { allowed: list(ARMS) });
const cents = (name: string, definition: string) => col(name, 'integer', definition, { unit: 'euro cents' });

export const ANALYSIS_EXPORT_CODEBOOK: readonly CodebookFile[] = [
  {
    file: 'experiment.csv',
    row: 'the experiment (one row)',
    key: ['experiment_code'],
    definition: 'The experiment and what the export shows: now (the records and facts as stored when the export was made) or a frozen snapshot.',
    columns: [
      col('experiment_code', 'string', 'Code of the experiment.', { allowed: '[A-Za-z0-9._-]{1,40}' }),
      col('name', 'string', 'Name of the experiment.'),
      col('policy_reference', 'string', 'Policy rule the experiment runs under (e.g. BR/REG-25147).', { missing: true }),
      col('start_date', 'date', 'First day of the experiment.'),
      col('end_date', 'date', 'Last day of the experiment (inclusive).'),
      col('analysis_date', 'date', 'The "as of" date of every derived figure: nothing dated after it counts (DOMAIN.md 5, 6).'),
      col('source', 'string', 'now: the live records and facts at export time; snapshot: the frozen copies of the snapshot.', { allowed: 'now, snapshot' }),
      col('snapshot_id', 'string', 'Id of the snapshot (as in GET /api/v1/analysis-export?snapshot=...); empty for now.', { missing: true, allowed: 'UUID' }),
      col('snapshot_label', 'string', 'Label the evaluator gave the snapshot; empty for now.', { missing: true }),
      col('snapshot_taken_at', 'timestamp', 'When the snapshot was taken (UTC); empty for now.', { missing: true }),
      col('facts_computed_at', 'timestamp', 'When the facts in care_quarters.csv and patient_indicators.csv were last computed (UTC); empty when none are computed. For now, records written after this are in the record files but not yet in the facts.', { missing: true }),
    ],
  },
  {
    file: 'practices.csv',
    row: 'a practice with a contract or a patient in the experiment',
    key: ['practice_agb'],
    definition: 'The practices of the experiment.',
    columns: [PRACTICE_AGB, col('name', 'string', 'Name of the practice.'), col('region', 'string', 'Region of the practice (a filter of the comparison).')],
  },
  {
    file: 'insurers.csv',
    row: 'an insurer with a contract or a patient in the experiment',
    key: ['insurer_uzovi'],
    definition: 'The insurers of the experiment.',
    columns: [INSURER_UZOVI, col('name', 'string', 'Name of the insurer.')],
  },
  {
    file: 'contracts.csv',
    row: 'a contract of a practice with an insurer',
    key: ['practice_agb', 'insurer_uzovi', 'valid_from'],
    definition: 'Contracts with both tariff sets (DOMAIN.md 3): the set of the other arm prices the counterfactual. Contracts of one practice and insurer do not overlap.',
    columns: [
      PRACTICE_AGB,
      INSURER_UZOVI,
      col('arm', 'string', 'Payment arm the contract agrees.', { allowed: list(ARMS) }),
      col('valid_from', 'date', 'First day the contract is in force.'),
      col('valid_to', 'date', 'Last day the contract is in force (inclusive).'),
      cents('bundle_intake_cents', 'Bundle tariff of the intake (added to care quarter 1).'),
      cents('bundle_quarter_cents', 'Bundle tariff per care quarter with at least one session.'),
      cents('ffs_intake_cents', 'Fee-for-service tariff of the intake.'),
      cents('ffs_session_cents', 'Fee-for-service tariff of an INDIVIDUAL or REMOTE session.'),
      cents('ffs_home_supplement_cents', 'Fee-for-service supplement of a HOME session (on top of the session tariff).'),
      cents('ffs_group_session_cents', 'Fee-for-service tariff of a GROUP session.'),
    ],
  },
  {
    file: 'patients.csv',
    row: 'a patient (one enrolment)',
    key: ['pseudonym'],
    definition: 'Every enrolled patient, also those with an intake after the analysis date (in_population 0). No BSN, name or practice patient number is exported.',
    columns: [
      PSEUDONYM,
      PRACTICE_AGB,
      INSURER_UZOVI,
      ARM,
      col('birth_year', 'integer', 'Year of birth.', { unit: 'year' }),
      col('sex', 'string', 'Sex as registered.', { allowed: list(SEXES) }),
      col('gold_stage', 'integer', 'Spirometric GOLD stage at enrolment.', { allowed: list(GOLD_STAGES) }),
      col('profile', 'integer', 'KNGF guideline COPD (2020) patient profile at enrolment.', { allowed: list(KNGF_PROFILES) }),
      col('referral_date', 'date', 'Date of the referral by GP or pulmonologist.'),
      col('intake_date', 'date', 'Date of the intake; care quarter 1 starts on it.'),
      col('end_date', 'date', 'Last day of the enrolment; empty while enrolled.', { missing: true }),
      col('end_reason', 'string', 'Why the enrolment ended; empty exactly when end_date is.', { missing: true, allowed: list(END_REASONS) }),
      col('in_population', 'boolean', 'Whether the patient is in the indicator population (intake on or before the analysis date): then it has a row in patient_indicators.csv.'),
    ],
  },
  {
    file: 'care_quarters.csv',
    row: 'a care quarter of a patient',
    key: ['pseudonym', 'quarter_index'],
    definition: `Care quarters as of the analysis date (DOMAIN.md 5): quarter k covers [intake + ${CARE_QUARTER_MONTHS}(k-1) months, intake + ${CARE_QUARTER_MONTHS}k months), months added to the intake itself and clamped to the month's last day; it exists while its start is on or before the end date and the analysis date. Only care quarters are listed: quarter 1, and quarters with at least one session (others cost nothing under either arm). Both prices of the same care.`,
    columns: [
      PSEUDONYM,
      col('quarter_index', 'integer', 'k: 1 for the quarter of the intake.', { allowed: '1, 2, ...' }),
      col('start_date', 'date', 'First day of the quarter (inclusive).'),
      col('end_date_exclusive', 'date', 'The day after the quarter: the start of quarter k + 1 (exclusive end).'),
      col('last_day', 'date', 'Last day of the quarter (inclusive): end_date_exclusive - 1 day.'),
      col('calendar_quarter', 'string', 'Calendar quarter of start_date: time series place everything of a care quarter there (DOMAIN.md 5).', { allowed: 'YYYY-Qn' }),
      col('sessions', 'integer', 'Sessions dated in the quarter and on or before the analysis date.', { unit: 'sessions' }),
      col('is_care_quarter', 'boolean', 'Quarter 1 or a quarter with at least one session (always 1 in this file).'),
      col('ended', 'boolean', 'The quarter\'s last day is on or before the analysis date (LOW_INTENSITY_QUARTERS judges only ended quarters after quarter 1).'),
      cents('bundle_cents', 'Price under the bundle: the bundle intake (quarter 1) plus the bundle quarter tariff when the quarter has a session; each item with the contract in force on its own date.'),
      cents('ffs_cents', 'Price under fee-for-service: the FFS intake (quarter 1) plus every session at its tariff (HOME: session + home supplement; GROUP: group tariff).'),
      cents('paid_cents', 'The price under the patient\'s arm (bundle_cents for BUNDLE, ffs_cents for FFS).'),
      cents('counterfactual_cents', 'The price under the other arm for the same care.'),
      col('unpriced_items', 'integer', 'Items without any contract in force to price them, priced 0 (see README: quarter tariff fallback).', { unit: 'items' }),
    ],
  },
  {
    file: 'sessions.csv',
    row: 'a therapy session',
    key: ['pseudonym', 'date', 'kind'],
    definition: 'Every recorded session, also those after the analysis date (care_quarter tells where it counts; sessions after the analysis date count nowhere).',
    columns: [
      PSEUDONYM,
      col('date', 'date', 'Date of the session.'),
      col('kind', 'string', 'Kind of session (HOME: individual, at home).', { allowed: list(SESSION_KINDS) }),
      col('care_quarter', 'integer', 'Index k of the care quarter the date falls in (as care_quarters.csv quarter_index).', { allowed: '1, 2, ...' }),
      col('after_analysis_date', 'boolean', 'Dated after the analysis date: counts in no figure.'),
    ],
  },
  {
    file: 'measurements.csv',
    row: 'an outcome measurement',
    key: ['pseudonym', 'instrument', 'date'],
    definition: `Every recorded measurement with its window (DOMAIN.md 6): ${windows}. Measurements outside every window are kept (window NONE) but count in no indicator.`,
    columns: [
      PSEUDONYM,
      col('date', 'date', 'Date of the measurement.'),
      col('instrument', 'string', 'SIX_MWT: 6-minute walk test distance; CCQ: Clinical COPD Questionnaire; CAT: COPD Assessment Test; MMRC: modified Medical Research Council dyspnoea scale; STEPS: activity monitor.', { allowed: list(INSTRUMENTS) }),
      col('value', 'decimal', `Value in the unit of the instrument: SIX_MWT metres (${scale('SIX_MWT')}, whole), CCQ score (${scale('CCQ')}, at most one decimal), CAT score (${scale('CAT')}, whole), MMRC grade (${scale('MMRC')}), STEPS per day (${scale('STEPS')}).`, { unit: 'see instrument' }),
      col('day_from_intake', 'integer', 'date - intake date (negative before the intake).', { unit: 'days' }),
      col('window', 'string', `The window the date falls in, relative to the intake: ${windows}; NONE outside them.`, { allowed: list(MEASUREMENT_WINDOW_LABELS) }),
      col('picked', 'boolean', 'The value patient_indicators.csv uses for this instrument and window (SIX_MWT, CCQ and CAT only): in the window, on or before the analysis date, the closest to the window\'s target day, ties to the earlier date.'),
    ],
  },
  {
    file: 'events.csv',
    row: 'a clinical event',
    key: ['pseudonym', 'date', 'kind'],
    definition: 'Every recorded event. The rates count moderate and severe exacerbations, and hospital admissions, dated in [intake, follow-up end]; DEATH counts in neither.',
    columns: [
      PSEUDONYM,
      col('date', 'date', 'Date of the event.'),
      col('kind', 'string', 'Kind of event.', { allowed: list(EVENT_KINDS) }),
      col('day_from_intake', 'integer', 'date - intake date.', { unit: 'days' }),
      col('in_followup', 'boolean', 'Dated in [intake, follow-up end], follow-up end the earliest of end date, analysis date and experiment end: counts in EXACERBATION_RATE or ADMISSION_RATE by its kind.'),
    ],
  },
  {
    file: 'patient_indicators.csv',
    row: 'a patient of the indicator population',
    key: ['pseudonym'],
    definition: 'The per-patient inputs of every indicator (DOMAIN.md 6), as of the analysis date: the facts the comparison aggregates. Patients with an intake after the analysis date have no row.',
    columns: [
      PSEUDONYM,
      PRACTICE_AGB,
      INSURER_UZOVI,
      col('region', 'string', 'Region of the practice.'),
      ARM,
      col('gold_stage', 'integer', 'GOLD stage (the stratum of the case-mix adjustment).', { allowed: list(GOLD_STAGES) }),
      col('profile', 'integer', 'KNGF profile.', { allowed: list(KNGF_PROFILES) }),
      col('age_at_intake', 'integer', 'Intake year - birth year.', { unit: 'years' }),
      col('intake_date', 'date', 'Date of the intake.'),
      col('wait_days', 'integer', 'Intake date - referral date (WAIT_DAYS).', { unit: 'days' }),
      col('care_quarters', 'integer', 'Number of care quarters (rows in care_quarters.csv).', { unit: 'quarters' }),
      col('sessions', 'integer', 'Sessions in the care quarters, on or before the analysis date.', { unit: 'sessions' }),
      cents('paid_cents', 'Sum of paid_cents over the care quarters (PAID_PER_CARE_QUARTER = paid / care quarters).'),
      cents('counterfactual_cents', 'Sum of counterfactual_cents over the care quarters.'),
      col('unpriced_items', 'integer', 'Items priced 0 for want of a contract.', { unit: 'items' }),
      col('judged_quarters', 'integer', 'Care quarters after quarter 1 that have ended by the analysis date (LOW_INTENSITY_QUARTERS denominator).', { unit: 'quarters' }),
      col('low_intensity_quarters', 'integer', 'Judged quarters with exactly one session (LOW_INTENSITY_QUARTERS numerator).', { unit: 'quarters' }),
      col('guideline_eligible', 'boolean', `Intake at least ${ELIGIBLE_AFTER_DAYS.ABOVE_GUIDELINE_VOLUME} days before the analysis date and profile ${list(Object.keys(KNGF_MAX_SESSIONS_FIRST_YEAR))} (ABOVE_GUIDELINE_VOLUME denominator).`),
      col('above_guideline', 'boolean', `More sessions in the ${GUIDELINE_YEAR_DAYS} days [intake, intake + ${GUIDELINE_YEAR_DAYS}) than the KNGF maximum of the profile (${Object.entries(KNGF_MAX_SESSIONS_FIRST_YEAR).map(([p, n]) => `${p}: ${n}`).join(', ')}); empty when not guideline_eligible.`, { missing: true }),
      col('baseline_eligible', 'boolean', `Intake at least ${ELIGIBLE_AFTER_DAYS.BASELINE_COMPLETE} days before the analysis date (BASELINE_COMPLETE denominator).`),
      col('baseline_complete', 'boolean', 'A baseline 6MWT and a baseline CCQ or CAT (BASELINE_COMPLETE numerator, among baseline_eligible).'),
      col('followup_3m_eligible', 'boolean', `Intake at least ${ELIGIBLE_AFTER_DAYS.FOLLOWUP_3M_COMPLETE} days before the analysis date, not ended DECEASED before intake + ${ELIGIBLE_AFTER_DAYS.FOLLOWUP_3M_COMPLETE} (FOLLOWUP_3M_COMPLETE denominator; numerator: six_mwt_3m present).`),
      col('followup_12m_eligible', 'boolean', `Intake at least ${ELIGIBLE_AFTER_DAYS.FOLLOWUP_12M_COMPLETE} days before the analysis date, not ended DECEASED before intake + ${ELIGIBLE_AFTER_DAYS.FOLLOWUP_12M_COMPLETE} (FOLLOWUP_12M_COMPLETE denominator; numerator: six_mwt_12m present).`),
      col('six_mwt_base', 'integer', `Baseline 6MWT: ${pickRule('BASELINE')}.`, { unit: 'm', missing: true }),
      col('six_mwt_3m', 'integer', `3-month 6MWT: ${pickRule('FOLLOWUP_3M')}.`, { unit: 'm', missing: true }),
      col('six_mwt_12m', 'integer', `12-month 6MWT: ${pickRule('FOLLOWUP_12M')}. Change = follow-up - baseline; responder when the change >= +${MCID_STORED.SIX_MWT} m.`, { unit: 'm', missing: true }),
      col('ccq_base', 'decimal', 'Baseline CCQ, picked as six_mwt_base.', { unit: 'score', missing: true }),
      col('ccq_3m', 'decimal', 'CCQ at 3 months, picked as six_mwt_3m.', { unit: 'score', missing: true }),
      col('ccq_12m', 'decimal', `CCQ at 12 months, picked as six_mwt_12m. Responder when the change <= ${MCID_STORED.CCQ / 10} (lower is better).`, { unit: 'score', missing: true }),
      col('cat_base', 'integer', 'Baseline CAT, picked as six_mwt_base.', { unit: 'score', missing: true }),
      col('cat_3m', 'integer', 'CAT at 3 months, picked as six_mwt_3m.', { unit: 'score', missing: true }),
      col('cat_12m', 'integer', `CAT at 12 months, picked as six_mwt_12m. Responder when the change <= ${MCID_STORED.CAT} (lower is better).`, { unit: 'score', missing: true }),
      col('followup_days', 'integer', `Follow-up end - intake date (no +1), follow-up end the earliest of end date, analysis date and experiment end; patient-years = days / ${DAYS_PER_YEAR}.`, { unit: 'days' }),
      col('exacerbations', 'integer', 'Moderate and severe exacerbations dated in [intake, follow-up end] (EXACERBATION_RATE numerator).', { unit: 'events' }),
      col('admissions', 'integer', 'Hospital admissions dated in [intake, follow-up end] (ADMISSION_RATE numerator).', { unit: 'events' }),
    ],
  },
];

/** The files of the export as the zip holds them, codebook included. */
export const CODEBOOK_FILES = ['codebook.csv', 'codebook.md'] as const;

/** The columns of codebook.csv itself. */
export const CODEBOOK_CSV_COLUMNS = ['file', 'column', 'type', 'unit', 'allowed_values', 'missing_allowed', 'definition'] as const;

/** The header of one export file, from the codebook; throws for a file the codebook does not know. */
export function codebookColumns(file: string): string[] {
  const found = ANALYSIS_EXPORT_CODEBOOK.find((f) => f.file === file);
  if (!found) throw new Error(`codebook: no file ${file}`);
  return found.columns.map((c) => c.name);
}

/** The rows of codebook.csv: one per file and column, in the order of the files. */
export function codebookRows(): Record<(typeof CODEBOOK_CSV_COLUMNS)[number], string>[] {
  return ANALYSIS_EXPORT_CODEBOOK.flatMap((f) =>
    f.columns.map((c) => ({
      file: f.file,
      column: c.name,
      type: c.type,
      unit: c.unit,
      allowed_values: c.allowed,
      missing_allowed: c.missing ? '1' : '0',
      definition: c.definition,
    })),
  );
}

/** codebook.md: the conventions, then per file its row, key, definition and a table of its columns. */
export function codebookMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '# Codebook of the analysis export',
    '',
    'Generated from `libs/domain/src/export/codebook.ts` (the source of the export\'s headers); do not edit by hand.',
    'Regenerate with `npm run cli -- codebook docs`.',
    '',
    'Every file is CSV as in RFC 4180: UTF-8 without byte order mark, comma separator, a header row, fields quoted',
    'only when they hold a comma, a quote or a line break, lines ending in CRLF. Numbers have a decimal point and no',
    'thousands separator; dates are `YYYY-MM-DD`, timestamps ISO 8601 in UTC; booleans are `1` / `0`; a missing value',
    'is an empty field. Money is integer euro cents. Patients are keyed by their pseudonym; practices by AGB and',
    'insurers by UZOVI code (read both as text: leading zeros matter).',
    '',
    '| file | one row is | key |',
    '|---|---|---|',
    ...ANALYSIS_EXPORT_CODEBOOK.map((f) => `| \`${f.file}\` | ${cell(f.row)} | ${f.key.map((k) => `\`${k}\``).join(', ')} |`),
    '',
  ];
  for (const f of ANALYSIS_EXPORT_CODEBOOK) {
    lines.push(`## ${f.file}`, '', cell(f.definition), '', '| column | type | unit | allowed values | may be empty | definition |', '|---|---|---|---|---|---|');
    for (const c of f.columns) {
      lines.push(`| \`${c.name}\` | ${c.type} | ${cell(c.unit)} | ${cell(c.allowed)} | ${c.missing ? 'yes' : 'no'} | ${cell(c.definition)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
