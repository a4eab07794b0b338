/**
 * The CSV column catalogue: per record kind, each column with its Dutch and English header and the field of the
 * source-record model it feeds. Templates, the reader and the export all follow it, so a template, an export and
 * an import always agree. Export order is catalogue order; `importOnly` columns (the BSN) are never written.
 */
export const CSV_KINDS = ['patients', 'sessions', 'measurements', 'events'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];
export type CsvLanguage = 'nl' | 'en';

export type ColumnType = 'text' | 'integer' | 'decimal' | 'date' | 'code';

export interface CsvColumn {
  field: string;
  nl: string;
  en: string;
  type: ColumnType;
  required: boolean;
  importOnly?: boolean;
  /** The example row of the template. */
  example: string | number;
}

const PRACTICE: CsvColumn = { field: 'practice', nl: 'praktijk_agb', en: 'practice_agb', type: 'code', required: false, example: '12345678' };
const REF: CsvColumn = { field: 'ref', nl: 'patientnummer', en: 'patient_ref', type: 'text', required: true, example: 'P-0001' };
const DATE: CsvColumn = { field: 'date', nl: 'datum', en: 'date', type: 'date', required: true, example: '2025-03-10' };

export const CSV_COLUMNS: Readonly<Record<CsvKind, readonly CsvColumn[]>> = {
  patients: [
    PRACTICE,
    REF,
    { field: 'insurer', nl: 'zorgverzekeraar_uzovi', en: 'insurer_uzovi', type: 'code', required: false, example: '3311' },
    { field: 'bsn', nl: 'bsn', en: 'bsn', type: 'code', required: false, importOnly: true, example: '' },
    { field: 'birthYear', nl: 'geboortejaar', en: 'birth_year', type: 'integer', required: false, example: 1955 },
    { field: 'sex', nl: 'geslacht', en: 'sex', type: 'code', required: false, example: 'F' },
    { field: 'goldStage', nl: 'gold_stadium', en: 'gold_stage', type: 'integer', required: false, example: 3 },
    { field: 'profile', nl: 'kngf_profiel', en: 'kngf_profile', type: 'integer', required: false, example: 4 },
    { field: 'referralDate', nl: 'verwijsdatum', en: 'referral_date', type: 'date', required: false, example: '2025-02-20' },
    { field: 'intakeDate', nl: 'intakedatum', en: 'intake_date', type: 'date', required: false, example: '2025-03-03' },
    { field: 'endDate', nl: 'einddatum', en: 'end_date', type: 'date', required: false, example: '' },
    { field: 'endReason', nl: 'reden_einde', en: 'end_reason', type: 'code', required: false, example: '' },
  ],
  sessions: [PRACTICE, REF, DATE, { field: 'kind', nl: 'soort', en: 'kind', type: 'code', required: true, example: 'INDIVIDUAL' }],
  measurements: [
    PRACTICE,
    REF,
    DATE,
    { field: 'instrument', nl: 'instrument', en: 'instrument', type: 'code', required: true, example: 'CCQ' },
    { field: 'value', nl: 'waarde', en: 'value', type: 'decimal', required: true, example: 1.6 },
  ],
  events: [PRACTICE, REF, DATE, { field: 'kind', nl: 'soort', en: 'kind', type: 'code', required: true, example: 'EXACERBATION_MODERATE' }],
};

export function isCsvKind(value: unknown): value is CsvKind {
  return typeof value === 'string' && (CSV_KINDS as readonly string[]).includes(value);
}

/** The column a header names, in either language (case and surrounding spaces ignored). */
export function columnOf(kind: CsvKind, header: string): CsvColumn | undefined {
  const wanted = header.trim().toLowerCase();
  return CSV_COLUMNS[kind].find((c) => c.nl === wanted || c.en === wanted);
}
