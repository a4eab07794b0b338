import i18next from 'i18next';
import { en } from '../locales/en';
import { nl } from '../locales/nl';
import { splitLines } from './import-api';
import type { ImportReport } from './import-types';
import { toMapping } from './mapping';
import { filterPatients, filterRecords, hasUpdates, patientsToMap, refusals, refusalsCsv, writesAnything } from './report-rows';

const i18n = i18next.createInstance();
void i18n.init({ resources: { nl: { translation: nl }, en: { translation: en } }, lng: 'nl', fallbackLng: 'nl', interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false });
const tNl = i18n.getFixedT('nl') as unknown as (key: string, options?: Record<string, unknown>) => string;
const tEn = i18n.getFixedT('en') as unknown as (key: string, options?: Record<string, unknown>) => string;

/** A sessions CSV of two patients: P1 has 2 new sessions, one before its referral (skipped); P2 has a bad kind on row 4. */
function aReport(): ImportReport {
  return {
    digest: 'abc',
    format: 'csv',
    kind: 'sessions',
    read: 4,
    summary: { patients: { create: 0, update: 0, unchanged: 1, refused: 1 }, records: { create: 1, update: 0, unchanged: 0, refused: 1, skipped: 1 } },
    patients: [
      { key: 'P1', ref: 'P1', pseudonym: 'ps-1', status: 'UNCHANGED', changes: [], missingForEnrolment: [], problems: [] },
      { key: 'P2', ref: 'P2', pseudonym: 'ps-2', status: 'REFUSED', changes: [], missingForEnrolment: [], problems: [] },
    ],
    records: [
      { source: { file: 'b.csv', row: 1 }, entity: 'SESSION', patientKey: 'P1', date: '2025-03-01', status: 'CREATE' },
      { source: { file: 'b.csv', row: 2 }, entity: 'SESSION', patientKey: 'P1', date: '2024-01-01', status: 'SKIPPED', problems: [{ source: { file: 'b.csv', row: 2 }, field: 'date', code: 'IMPORT.BEFORE_REFERRAL', message: 'Vóór de verwijsdatum' }] },
      { source: { file: 'b.csv', row: 4 }, entity: 'SESSION', patientKey: 'P2', date: '2025-03-02', status: 'REFUSED', problems: [{ source: { file: 'b.csv', row: 4 }, field: 'kind', code: 'X.UNKNOWN', message: 'Onbekende soort' }] },
    ],
  };
}

describe('the import report in the page', () => {
  it('should list a refused and a skipped record with file, row, field and reason when the report has them', () => {
    const rows = refusals(aReport(), tNl, 'nl');
    expect(rows).toEqual([
      { file: 'b.csv', row: 2, where: 'rij 2', patient: 'P1', entity: 'Behandeling', status: 'SKIPPED', field: 'Datum', reason: 'Vóór de verwijsdatum' },
      { file: 'b.csv', row: 4, where: 'rij 4', patient: 'P2', entity: 'Behandeling', status: 'REFUSED', field: 'Soort', reason: 'Onbekende soort' },
    ]);
    // Dutch CSV: BOM, ';' between fields, CRLF line ends; 1 header + 2 refusals = 3 lines.
    expect(refusalsCsv(rows, tNl, 'nl')).toBe(
      '\uFEFFBestand;Rij of resource;Patiënt;Soort;Uitkomst;Veld;Reden\r\nb.csv;rij 2;P1;Behandeling;Overgeslagen;Datum;Vóór de verwijsdatum\r\nb.csv;rij 4;P2;Behandeling;Geweigerd;Soort;Onbekende soort\r\n',
    );
    expect(refusalsCsv(refusals(aReport(), tEn, 'en'), tEn, 'en').split('\r\n')[1]).toBe('b.csv,row 2,P1,Session,Skipped,Date,Vóór de verwijsdatum');
  });

  it("should put a refused patient's line beside the row that caused it when the rows are listed", () => {
    const report = aReport();
    report.patients[1].problems = [{ source: { file: 'b.csv', row: 4 }, field: 'ref', code: 'IMPORT.RECORD_REFUSED', message: 'Patiënt geweigerd' }];
    // Row 2 (skipped record), then row 4 as the patient's line (listed first) and as the record's.
    expect(refusals(report, tNl, 'nl').map((r) => [r.where, r.entity])).toEqual([
      ['rij 2', 'Behandeling'],
      ['rij 4', 'Patiënt'],
      ['rij 4', 'Behandeling'],
    ]);
  });

  it('should name what a refused patient misses for enrolment when it has no other problem', () => {
    const report = aReport();
    report.patients[1].missingForEnrolment = ['goldStage', 'insurer'];
    expect(refusals(report, tEn, 'en')[0]).toEqual({ file: '', row: null, where: '', patient: 'P2', entity: 'Patient', status: 'REFUSED', field: 'GOLD stage, Insurer UZOVI code', reason: 'Missing for enrolment; add it to the file or below.' });
    expect(patientsToMap(report).map((p) => p.key)).toEqual(['P2']);
  });

  it('should filter the tables by status when a status is chosen', () => {
    const report = aReport();
    expect(filterPatients(report.patients, 'REFUSED').map((p) => p.key)).toEqual(['P2']);
    expect(filterPatients(report.patients, 'ALL')).toHaveLength(2);
    // ISSUES = refused + skipped: rows 2 and 4.
    expect(filterRecords(report.records, 'ISSUES').map((r) => r.source.row)).toEqual([2, 4]);
    expect(filterRecords(report.records, 'CREATE').map((r) => r.source.row)).toEqual([1]);
  });

  it('should allow the confirm when something is to be written and ask a reason only when something changes', () => {
    const report = aReport();
    expect(writesAnything(report)).toBe(true); // records.create = 1
    expect(hasUpdates(report)).toBe(false);
    report.summary.records = { create: 0, update: 0, unchanged: 0, refused: 1, skipped: 1 };
    expect(writesAnything(report)).toBe(false);
    report.summary.patients.update = 1;
    expect(hasUpdates(report)).toBe(true);
  });

  it('should send only the filled-in mapping values when the form is partly filled', () => {
    expect(toMapping('12345678', { insurer: '', patients: { P1: { goldStage: '3', profile: '' }, P2: {} } })).toEqual({ practice: '12345678', patients: { P1: { goldStage: 3 } } });
    expect(toMapping('12345678', { insurer: '3311', patients: {} })).toEqual({ practice: '12345678', insurer: '3311' });
  });

  it('should keep an unfinished streamed line for the next chunk when a chunk ends inside it', () => {
    const first = splitLines('', '{"progress":{"phase":"read","done":1}}\n{"progress":{"pha');
    expect(first).toEqual({ lines: ['{"progress":{"phase":"read","done":1}}'], rest: '{"progress":{"pha' });
    const second = splitLines(first.rest, 'se":"check","done":2}}\n');
    expect(second).toEqual({ lines: ['{"progress":{"phase":"check","done":2}}'], rest: '' });
  });
});
