import type { Violation } from '../model';
import { validateEnrolment } from './enrolment-rules';
import { validateMeasurement } from './measurement-rules';
import { fieldLabel, formatViolation, MESSAGES, messageLanguage, placeholdersOf, SHAPE_CODES } from './messages';
import { VIOLATION_CODES } from './violation-codes';

/** Every param any template reads, so each one renders in full. */
const ALL_PARAMS = {
  value: 'x',
  min: 1,
  max: 6,
  minimum: 2,
  decimals: 1,
  length: 2,
  allowed: 'F, M, X',
  instrument: 'CCQ',
  date: '2025-02-10',
  limit: '2025-02-01',
  today: '2025-03-01',
  endDate: '2025-12-31',
  intakeDate: '2025-02-10',
  referralDate: '2025-01-27',
  firstOutsideDate: '2025-02-12',
  firstUncoveredDate: '2025-06-20',
  validFrom: '2025-01-01',
  validTo: '2025-12-31',
  otherValidFrom: '2024-01-01',
  otherValidTo: '2025-03-31',
  count: 2,
  pseudonym: 'P-1',
  ref: 'A1',
  sessions: '2025-06-20 INDIVIDUAL, 2025-06-27 GROUP',
  birthYear: 2007,
  intakeYear: 2024,
  goldStage: 1,
  firstIndex: 0,
  stored: 1.6,
  minYear: 1900,
  maxYear: 2199,
  // The CSV/FHIR import's codes (issue 15).
  file: 'sessies.csv',
  row: 3,
  reason: 'utf-8',
  kind: 'sessions',
  expected: 4,
  column: 'datum',
  columnEn: 'date',
  first: 2,
  practice: '01234567',
  own: '07654321',
  at: 'patients.P1.goldStage',
  // The password policy's advice (issue 16).
  adviceNl: 'Eén woord is makkelijk te raden.',
  adviceEn: 'Single words are easy to guess.',
};

const CODES = Object.keys(MESSAGES);
const IMPORT_CORE_CODES = ['MISSING_FOR_ENROLMENT', 'DUPLICATE_ROW', 'PATIENT_NOT_FOUND', 'BEFORE_REFERRAL', 'RECORD_REFUSED', 'PATIENT_REFUSED',
  'OTHER_PRACTICE', 'MAPPING_NOT_JSON', 'MAPPING_INVALID', 'DIGEST_REQUIRED', 'FILE_CHANGED', 'NO_FILES'].map((c) => `IMPORT.${c}`);
const VIOLATION_CODE_LIST = Object.values(VIOLATION_CODES).flatMap((group) => Object.values(group));

describe('the message catalogue', () => {
  it('should hold every code a domain validator returns and every SHAPE code when it is complete', () => {
    expect(VIOLATION_CODE_LIST.filter((code) => !(code in MESSAGES))).toEqual([]);
    expect(Object.values(SHAPE_CODES).filter((code) => !(code in MESSAGES))).toEqual([]);
    // 50 domain codes + 20 SHAPE codes + SHAPE.DATE of the exchange schema + 9 field codes of the API's services
    // (ENROLMENT.BSN_INVALID, SESSION/MEASUREMENT/EVENT.KEY_TAKEN, MEASUREMENT.CORRECTION_NEEDS_REASON,
    // CORRECTION.REASON_REQUIRED, CORRECTION.REASON_TOO_LONG, FILTER.PRACTICE_REQUIRED, REQUEST.INVALID_ID)
    // = 50 + 20 + 1 + 9 = 80 codes, each with nl and en.
    expect(VIOLATION_CODE_LIST).toHaveLength(50);
    // + 23 codes of the CSV/FHIR import (IMPORT.*, issue 15).
    // + 16 codes of the account and token forms (USER.*, AUTH.*, API_TOKEN.*, issue 16), and FILTER.PERIOD_INVERTED
    // (issue 16's period filter): 80 + 1 = 81 outside IMPORT.
    expect(CODES.filter((code) => !code.startsWith('IMPORT.') && !/^(USER|AUTH|API_TOKEN)\./.test(code))).toHaveLength(81);
    expect(CODES.filter((code) => /^(USER|AUTH|API_TOKEN)\./.test(code))).toHaveLength(16);
    expect(CODES.filter((code) => code.startsWith('IMPORT.CSV_') || IMPORT_CORE_CODES.includes(code))).toHaveLength(23);
  });

  it.each(CODES)('should render %s in Dutch and English with every placeholder filled when the params are there', (code) => {
    const texts = MESSAGES[code];
    for (const lang of ['nl', 'en'] as const) {
      const text = formatViolation({ code, path: 'bundle.intake', message: 'FALLBACK', params: ALL_PARAMS }, lang);
      expect(text).not.toBe('FALLBACK');
      expect(text.trim().length).toBeGreaterThan(5);
      expect(text).not.toMatch(/[{}]|undefined|NaN/);
    }
    expect(texts.nl).not.toEqual(texts.en);
    for (const name of [...placeholdersOf(texts.nl), ...placeholdersOf(texts.en)]) {
      expect(['field', 'Field', 'path', 'collection', 'scale', 'hint', ...Object.keys(ALL_PARAMS)]).toContain(name);
    }
  });

  it('should show the value entered and the limits in both languages when GOLD stage 1 is entered', () => {
    const [v] = validateEnrolment(
      {
        ref: 'A1', practice: '12345678', insurer: '3311', birthYear: 1956, sex: 'F', goldStage: 1, profile: 4,
        referralDate: '2025-01-27', intakeDate: '2025-02-10', endDate: null, endReason: null,
      },
      { contracts: [{ validFrom: '2025-01-01', validTo: '2025-12-31', arm: 'BUNDLE' } as never], today: '2025-03-01' },
    );
    expect(v.code).toBe('ELIGIBILITY.GOLD_STAGE_TOO_LOW');
    expect(v.params).toEqual({ goldStage: 1, minimum: 2, value: 1 });
    expect(formatViolation(v, 'nl')).toBe(v.message);
    expect(v.message).toBe(
      'GOLD-stadium 1 komt niet in aanmerking: oefentherapie bij COPD wordt vergoed vanaf GOLD-stadium 2 ' +
        '(Besluit zorgverzekering art. 2.6 lid 6). Controleer de spirometrie-uitslag.',
    );
    expect(formatViolation(v, 'en')).toBe(
      'GOLD stage 1 is not eligible: exercise therapy for COPD is covered from GOLD stage 2 ' +
        '(Besluit zorgverzekering art. 2.6 lid 6). Check the spirometry result.',
    );
  });

  it('should write dates dd-mm-jjjj in Dutch and as ISO dates in English when a rule compares dates', () => {
    const v: Violation = {
      code: 'MEASUREMENT.IN_FUTURE',
      path: 'date',
      message: '',
      params: { date: '2025-03-05', today: '2025-03-01', value: '2025-03-05' },
    };
    expect(formatViolation(v, 'nl')).toBe(
      'De meting (05-03-2025) ligt in de toekomst (vandaag is 01-03-2025); leg alleen vast wat al heeft plaatsgevonden.',
    );
    expect(formatViolation(v, 'en')).toBe(
      'The measurement (2025-03-05) is in the future (today is 2025-03-01); record only what has already taken place.',
    );
  });

  it('should write a decimal with a comma in Dutch and name the scale when a CCQ has two decimals', () => {
    const [v] = validateMeasurement(
      { date: '2025-02-10', instrument: 'CCQ', value: 2.25 },
      { enrolment: { referralDate: '2025-01-27', endDate: null }, today: '2025-03-01' },
    );
    expect(v.code).toBe('MEASUREMENT.VALUE_TOO_MANY_DECIMALS');
    expect(v.message).toContain('De CCQ-score mag hoogstens 1 decimaal hebben (ingevuld: 2,25)');
    expect(formatViolation(v, 'en')).toContain('The CCQ score may have at most 1 decimal (entered: 2.25)');
  });

  it('should name the field in the language and quote a typed text when a shape check fails', () => {
    const required = { code: 'SHAPE.REQUIRED', path: 'birthYear', message: '', params: { value: null } };
    expect(formatViolation(required, 'nl')).toBe('Geboortejaar ontbreekt; vul dit veld in.');
    expect(formatViolation(required, 'en')).toBe('Year of birth is missing; please fill it in.');
    const notANumber = { code: 'SHAPE.NOT_A_NUMBER', path: 'value', message: '', params: { value: '12,5,3' } };
    expect(formatViolation(notANumber, 'nl')).toBe("Waarde: '12,5,3' is geen getal; vul een getal in (bijv. 12,5).");
    expect(formatViolation(notANumber, 'en')).toBe("Value: '12,5,3' is not a number; enter a number (e.g. 12.5).");
    const pattern = { code: 'SHAPE.PATTERN', path: 'practice', message: '', params: { value: '1234' } };
    expect(formatViolation(pattern, 'en')).toBe(
      "Practice (AGB code): '1234' is not in the right form; an AGB code has exactly 8 digits (e.g. 01234567).",
    );
    // 30 typed characters + 2 quotes fit; 60 are cut to 37 + '...'.
    const long = { code: 'SHAPE.NOT_ONE_OF', path: 'sex', message: '', params: { value: 'y'.repeat(60), allowed: 'F, M, X' } };
    expect(formatViolation(long, 'nl')).toBe(`Geslacht: '${'y'.repeat(36)}... is geen geldige keuze; kies uit F, M, X.`);
  });

  it('should say between, at least or at most when a range has two, a lower or an upper limit', () => {
    const range = (params: Record<string, number | string>) =>
      formatViolation({ code: 'SHAPE.OUT_OF_RANGE', path: 'limit', message: '', params }, 'nl');
    expect(range({ value: 0, min: 1, max: 1000 })).toBe('Aantal per pagina (limit) moet tussen 1 en 1000 liggen (ingevuld: 0).');
    expect(range({ value: 0, min: 1 })).toBe('Aantal per pagina (limit) moet minstens 1 zijn (ingevuld: 0).');
    expect(formatViolation({ code: 'SHAPE.OUT_OF_RANGE', path: 'limit', message: '', params: { value: 2000, max: 1000 } }, 'en')).toBe(
      'Page size (limit) must be at most 1000 (entered: 2000).',
    );
  });

  it('should keep the message it came with when the code is unknown or a param is missing', () => {
    expect(formatViolation({ code: 'USER.PASSWORD_WEAK', path: 'password', message: 'Te zwak.' }, 'en')).toBe('Te zwak.');
    expect(formatViolation({ code: 'SESSION.IN_FUTURE', path: 'date', message: 'Origineel.', params: { date: '2025-01-01' } }, 'en')).toBe(
      'Origineel.',
    );
  });

  it('should read the language from a tag and name unknown fields by their API name when asked', () => {
    expect(['en', 'en-GB', 'EN', 'nl', 'nl-NL', 'de', '', undefined].map(messageLanguage)).toEqual([
      'en', 'en', 'en', 'nl', 'nl', 'nl', 'nl', 'nl',
    ]);
    expect(fieldLabel('sessions[3].date', 'nl')).toBe('datum');
    expect(fieldLabel('bundle.intake', 'en')).toBe('intake tariff');
    expect(fieldLabel('somethingNew', 'en')).toBe('somethingNew');
  });

  it('should print how many codes have a Dutch and an English text when the catalogue is counted', () => {
    const both = CODES.filter((code) => MESSAGES[code].nl && MESSAGES[code].en);
    // The closing note of issue 14 quotes this figure.
    console.log(`field-error and business-rule messages with a Dutch and an English text: ${both.length}`);
    expect(both).toHaveLength(CODES.length);
  });
});
