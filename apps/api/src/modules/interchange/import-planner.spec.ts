import type { ContractTerms } from '@copd/domain';
import { readCsv } from './csv/csv-reader';
import { patientKey, planImport, recordKey, sameStoredState, type StoredForPlan, type StoredPatient } from './import-planner';
import type { ImportMapping } from './import-mapping';
import type { SourceBatch } from './source-records';

const AGB = '12345678';
const CONTRACT: ContractTerms = {
  practice: AGB,
  insurer: '3311',
  arm: 'BUNDLE',
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  bundle: { intake: 9000, quarter: 36000 },
  ffs: { intake: 6000, session: 4000, homeSupplement: 2000, groupSession: 2000 },
};
// The worked example's patient P (DOMAIN.md 9): referral 2025-01-27, intake 2025-02-10.
const P: StoredPatient = {
  ref: 'P',
  practice: AGB,
  insurer: '3311',
  birthYear: 1950,
  sex: 'F',
  goldStage: 3,
  profile: 4,
  referralDate: '2025-01-27',
  intakeDate: '2025-02-10',
  endDate: null,
  endReason: null,
  pseudonym: 'P-STORED',
};

function stored(): StoredForPlan {
  return {
    contracts: [CONTRACT],
    patients: new Map([[patientKey(AGB, 'P'), P]]),
    sessions: new Set([recordKey(AGB, 'P', '2025-02-12', 'INDIVIDUAL')]),
    measurements: new Map([[recordKey(AGB, 'P', 'CCQ', '2025-02-10'), 1.6]]),
    events: new Set(),
  };
}

function plan(batch: SourceBatch, mapping: ImportMapping = {}, ownPractices: string[] | null = null) {
  return planImport({ batch, mapping, stored: stored(), today: '2026-12-01', lang: 'nl', ownPractices, pseudonym: (agb, ref) => `P-${agb}-${ref}` });
}

const file = (kind: 'patients' | 'sessions' | 'measurements', ...lines: string[]) =>
  readCsv([{ name: `${kind}.csv`, content: Buffer.from(`\uFEFF${lines.join('\n')}\n`, 'utf8') }], kind);

describe('the import plan', () => {
  it('should read either delimiter, either language and a byte order mark alike when reading CSV', () => {
    const nl = file('sessions', 'praktijk_agb;patientnummer;datum;soort', `${AGB};P;12-02-2025;INDIVIDUAL`);
    const en = file('sessions', 'Practice_AGB,patient_ref,date,kind', `${AGB},P,2025-02-12,individual`);
    expect(nl.sessions.map(({ source: _s, ...s }) => s)).toEqual([{ patientKey: 'P', practice: AGB, date: '2025-02-12', kind: 'INDIVIDUAL' }]);
    expect(en.sessions.map(({ source: _s, ...s }) => s)).toEqual(nl.sessions.map(({ source: _s, ...s }) => s));
    expect([nl.problems, en.problems]).toEqual([[], []]);
  });

  it.each([
    // [row, expected status]: stored session -> UNCHANGED; new -> CREATE; before referral -> SKIPPED; between referral and intake -> REFUSED
    ['12-02-2025', 'UNCHANGED'],
    ['19-02-2025', 'CREATE'],
    ['26-01-2025', 'SKIPPED'], // the day before the referral date 2025-01-27
    ['27-01-2025', 'REFUSED'], // on the referral date, but before the intake 2025-02-10 (SESSION.BEFORE_INTAKE)
  ])('should plan a session of %s as %s when it stands alone in the file', (date, status) => {
    const result = plan(file('sessions', 'praktijk_agb;patientnummer;datum;soort', `${AGB};P;${date};INDIVIDUAL`));
    expect(result.records.map((r) => r.status)).toEqual([status]);
  });

  it('should refuse the patient with all its records when one of its records is refused', () => {
    const result = plan(
      file('sessions', 'praktijk_agb;patientnummer;datum;soort', `${AGB};P;19-02-2025;INDIVIDUAL`, `${AGB};P;19-02-2025;INDIVIDUAL`, `${AGB};P;01-01-2025;GROUP`),
    );
    // Row 2 repeats row 1 (IMPORT.DUPLICATE_ROW), so P is refused and row 1 with it; row 3 stays SKIPPED.
    expect(result.records.map((r) => [r.status, r.problems?.[0].code])).toEqual([
      ['REFUSED', 'IMPORT.PATIENT_REFUSED'],
      ['REFUSED', 'IMPORT.DUPLICATE_ROW'],
      ['SKIPPED', 'IMPORT.BEFORE_REFERRAL'],
    ]);
    expect(result.patients).toEqual([expect.objectContaining({ ref: 'P', status: 'REFUSED' })]);
    expect(result.write).toEqual({ patients: [], sessions: [], measurements: [], events: [] });
  });

  it('should take a patient field from the mapping over the source, and the global insurer only where the source names none', () => {
    const batch = file(
      'patients',
      'praktijk_agb;patientnummer;zorgverzekeraar_uzovi;geboortejaar;geslacht;gold_stadium;kngf_profiel;verwijsdatum;intakedatum',
      `${AGB};A;;1950;F;2;4;03-03-2025;10-03-2025`,
      `${AGB};B;3311;1951;M;;3;03-03-2025;10-03-2025`,
    );
    const result = plan(batch, { insurer: '3311', patients: { A: { goldStage: 4 }, B: { goldStage: 3 } } });
    expect(result.write.patients.map((p) => [p.ref, p.insurer, p.goldStage])).toEqual([
      ['A', '3311', 4], // GOLD 2 in the file, 4 in the mapping: the mapping names it, so it wins
      ['B', '3311', 3],
    ]);
    expect(result.summary.patients).toEqual({ create: 2, update: 0, unchanged: 0, refused: 0 });
  });

  it('should list what is missing for enrolment and refuse that patient only when fields are missing', () => {
    const batch = file('patients', 'praktijk_agb;patientnummer;geboortejaar;verwijsdatum;intakedatum', `${AGB};A;1950;03-03-2025;10-03-2025`);
    const result = plan(batch);
    expect(result.patients[0]).toMatchObject({ status: 'REFUSED', missingForEnrolment: ['insurer', 'sex', 'goldStage', 'profile'] });
  });

  it('should plan a stored patient with another value as UPDATE with old and new when the file corrects it', () => {
    const batch = file(
      'patients',
      'praktijk_agb;patientnummer;zorgverzekeraar_uzovi;geboortejaar;geslacht;gold_stadium;kngf_profiel;verwijsdatum;intakedatum',
      `${AGB};P;3311;1950;F;4;4;27-01-2025;10-02-2025`,
    );
    const result = plan(batch);
    expect(result.patients[0]).toMatchObject({ status: 'UPDATE', pseudonym: 'P-STORED', changes: [{ field: 'goldStage', from: 3, to: 4 }] });
    expect(result.hasUpdates).toBe(true);
    expect(result.pseudonyms).toEqual(['P-STORED']);
  });

  it('should keep a stored end date when the file has no end date column, and clear it when the column is empty', () => {
    const ended = { ...P, endDate: '2025-08-01', endReason: 'COMPLETED' as const };
    const withEnded = (batch: SourceBatch) =>
      planImport({ batch, mapping: {}, stored: { ...stored(), patients: new Map([[patientKey(AGB, 'P'), ended]]) }, today: '2026-12-01', lang: 'nl', ownPractices: null, pseudonym: () => 'x' });
    const head = 'praktijk_agb;patientnummer;zorgverzekeraar_uzovi;geboortejaar;geslacht;gold_stadium;kngf_profiel;verwijsdatum;intakedatum';
    const row = `${AGB};P;3311;1950;F;3;4;27-01-2025;10-02-2025`;
    expect(withEnded(file('patients', head, row)).patients[0].status).toBe('UNCHANGED');
    expect(withEnded(file('patients', `${head};einddatum;reden_einde`, `${row};;`)).patients[0].changes).toEqual([
      { field: 'endDate', from: '2025-08-01', to: null },
      { field: 'endReason', from: 'COMPLETED', to: null },
    ]);
  });

  it('should name each row of another practice when a practice user uploads it', () => {
    const result = plan(file('sessions', 'praktijk_agb;patientnummer;datum;soort', `${AGB};P;19-02-2025;INDIVIDUAL`, `87654321;Q;19-02-2025;GROUP`), {}, [AGB]);
    expect(result.otherPractice.map((v) => [v.code, v.params?.row, v.params?.practice])).toEqual([['IMPORT.OTHER_PRACTICE', 2, '87654321']]);
  });
  it('should refuse an invalid BSN again when the same batch is planned a second time (the first plan drops the BSN)', () => {
    const batch = file(
      'patients',
      'praktijk_agb;patientnummer;bsn;zorgverzekeraar_uzovi;geboortejaar;geslacht;gold_stadium;kngf_profiel;verwijsdatum;intakedatum',
      `${AGB};A;123456789;3311;1950;F;3;4;03-03-2025;10-03-2025`,
    );
    const first = plan(batch);
    expect(batch.patients[0].bsn).toBeUndefined();
    const second = plan(batch);
    for (const result of [first, second]) {
      expect(result.patients[0]).toMatchObject({ status: 'REFUSED' });
      expect(result.patients[0].problems.map((p) => p.code)).toEqual(['ENROLMENT.BSN_INVALID']);
      expect(result.write.patients).toEqual([]);
    }
  });

  it('should tell a stored state that reads the same from one with any contract, patient or record changed', () => {
    expect(sameStoredState(stored(), stored())).toBe(true);
    const reordered = { ...stored(), contracts: [{ ...CONTRACT, validFrom: '2026-01-01', validTo: '2026-12-31' }, CONTRACT] };
    expect(sameStoredState(reordered, { ...reordered, contracts: [...reordered.contracts].reverse() })).toBe(true);
    const changed: StoredForPlan[] = [
      { ...stored(), contracts: [{ ...CONTRACT, validTo: '2025-06-30' }] },
      { ...stored(), patients: new Map([[patientKey(AGB, 'P'), { ...P, endDate: '2025-08-01' }]]) },
      { ...stored(), patients: new Map([[patientKey(AGB, 'Q'), P]]) },
      { ...stored(), sessions: new Set([recordKey(AGB, 'P', '2025-02-12', 'GROUP')]) },
      { ...stored(), sessions: new Set() },
      { ...stored(), measurements: new Map([[recordKey(AGB, 'P', 'CCQ', '2025-02-10'), 1.7]]) },
      { ...stored(), events: new Set([recordKey(AGB, 'P', '2025-03-01', 'EXACERBATION')]) },
    ];
    for (const other of changed) {
      expect(sameStoredState(stored(), other)).toBe(false);
      expect(sameStoredState(other, stored())).toBe(false);
    }
  });
});
