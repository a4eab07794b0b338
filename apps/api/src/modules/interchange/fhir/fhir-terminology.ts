import type { EndReason, EventKind, Instrument, SessionKind } from '@copd/domain';

/**
 * The code systems and codes the FHIR import reads and the FHIR export writes (README "FHIR R4 mapping").
 * Standard codes where a terminology has one; where none exists (KNGF profile, CCQ, CAT, GOLD stage, the session
 * kind, the end reason) a local CodeSystem of this project, never a made-up code in a standard system's namespace.
 */
export const SYSTEMS = {
  bsn: 'http://fhir.nl/fhir/NamingSystem/bsn',
  agb: 'http://fhir.nl/fhir/NamingSystem/agb-z',
  uzovi: 'http://fhir.nl/fhir/NamingSystem/uzovi',
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  v2IdentifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  /** The practice's own patient number when we write it (the reader takes any non-national identifier). */
  patientRef: 'https://copd-bundle.nl/fhir/NamingSystem/practice-patient-ref',
  /** Local CodeSystem: instruments without a verified standard code, the KNGF profile, the GOLD stage. */
  local: 'https://copd-bundle.nl/fhir/CodeSystem/copd-experiment',
  sessionKind: 'https://copd-bundle.nl/fhir/CodeSystem/session-kind',
  endReason: 'https://copd-bundle.nl/fhir/CodeSystem/end-reason',
  endReasonExtension: 'https://copd-bundle.nl/fhir/StructureDefinition/end-reason',
} as const;

/** Systems of national person numbers: never taken as the practice's own patient number. */
export const NATIONAL_PERSON_SYSTEMS: ReadonlySet<string> = new Set([SYSTEMS.bsn, 'http://hl7.org/fhir/sid/us-ssn']);

/**
 * COPD in SNOMED CT: 13645005 chronic obstructive lung disease and the descendants we can name (the Synthea
 * bundles use 185086009 and 87433001). A Condition with another code is not the COPD diagnosis.
 */
export const COPD_CODES: ReadonlySet<string> = new Set([
  '13645005', // Chronic obstructive lung disease (disorder)
  '185086009', // Chronic obstructive bronchitis (disorder)
  '87433001', // Pulmonary emphysema (disorder)
]);

/** SNOMED CT 195951007 acute exacerbation of COPD: an exacerbation event, its severity from Condition.severity. */
export const EXACERBATION_CODE = '195951007';
export const SEVERITY_CODES: Readonly<Record<string, EventKind>> = {
  '6736007': 'EXACERBATION_MODERATE', // Moderate (severity modifier)
  '24484000': 'EXACERBATION_SEVERE', // Severe (severity modifier)
};

/**
 * Supervised exercise therapy by a physiotherapist or exercise therapist (SNOMED CT): a Procedure (or an
 * Encounter typed so) with one of these codes is a session; a ServiceRequest with one is the referral.
 * 15081005 pulmonary rehabilitation is NOT among them: it is secondary care (KNGF profile 6), not the care priced here.
 */
export const SESSION_CODES: ReadonlySet<string> = new Set([
  '229065009', // Exercise therapy (regime/therapy)
  '91251008', // Physical therapy procedure
]);
export const SESSION_CODE_WRITTEN = '229065009';

/** Encounter.class (v3 ActCode) to session kind; GROUP has no ActCode and comes from the local session-kind code. */
export const SESSION_KIND_BY_CLASS: Readonly<Record<string, SessionKind>> = { AMB: 'INDIVIDUAL', HH: 'HOME', VR: 'REMOTE' };
/** Encounter.class codes of an inpatient stay: a HOSPITAL_ADMISSION event on period.start. */
export const INPATIENT_CLASSES: ReadonlySet<string> = new Set(['IMP', 'ACUTE', 'NONAC']);

export interface InstrumentCode {
  instrument: Instrument;
  system: string;
  code: string;
  display: string;
  /** UCUM codes (or unit texts) accepted; '' stands for a value without a unit. */
  units: readonly string[];
  /** The unit written on export. */
  unit: { code: string; unit: string };
}

/**
 * Observation codes read as measurements, in the order written. 6MWT distance: LOINC 64098-7 in metres (a value
 * in ft or km is refused, not converted: a walk test in feet is more likely a wrong field than a US device).
 * Steps per day: LOINC 41950-7 (number of steps in 24 hours, measured). mMRC: SNOMED CT 870179002 (DOMAIN.md 1).
 * CCQ and CAT: local codes (no standard code verified).
 */
export const INSTRUMENT_CODES: readonly InstrumentCode[] = [
  { instrument: 'SIX_MWT', system: SYSTEMS.loinc, code: '64098-7', display: 'Six minute walk distance', units: ['m'], unit: { code: 'm', unit: 'm' } },
  { instrument: 'CCQ', system: SYSTEMS.local, code: 'ccq', display: 'Clinical COPD Questionnaire total score', units: ['', '1', '{score}'], unit: { code: '{score}', unit: 'score' } },
  { instrument: 'CAT', system: SYSTEMS.local, code: 'cat', display: 'COPD Assessment Test total score', units: ['', '1', '{score}'], unit: { code: '{score}', unit: 'score' } },
  { instrument: 'MMRC', system: SYSTEMS.snomed, code: '870179002', display: 'mMRC dyspnoea scale grade', units: ['', '1', '{score}', '{grade}'], unit: { code: '{score}', unit: 'grade' } },
  { instrument: 'STEPS', system: SYSTEMS.loinc, code: '41950-7', display: 'Number of steps in 24 hour Measured', units: ['', '/d', '{steps}/d', '{steps}', '1/d'], unit: { code: '/d', unit: 'steps/day' } },
];

/** Local codes of enrolment facts that no standard terminology holds. */
export const LOCAL_CODES = {
  kngfProfile: { system: SYSTEMS.local, code: 'kngf-profile', display: 'KNGF COPD guideline profile (1-6)' },
  goldStage: { system: SYSTEMS.local, code: 'gold-stage', display: 'Spirometric GOLD stage' },
} as const;

/** Condition.stage.summary codes of the GOLD stage: local codes 'gold-1' .. 'gold-4'. */
export const GOLD_STAGE_CODES: Readonly<Record<string, number>> = { 'gold-1': 1, 'gold-2': 2, 'gold-3': 3, 'gold-4': 4 };

export const END_REASON_CODES: ReadonlySet<EndReason> = new Set<EndReason>([
  'COMPLETED',
  'DECEASED',
  'MOVED',
  'DROPPED_OUT',
  'REFERRED_TO_REHABILITATION',
  'OTHER',
]);

export const FHIR_GENDER_TO_SEX: Readonly<Record<string, 'F' | 'M' | 'X'>> = { female: 'F', male: 'M', other: 'X' };
export const SEX_TO_FHIR_GENDER: Readonly<Record<string, 'female' | 'male' | 'other'>> = { F: 'female', M: 'male', X: 'other' };

/** The resource types the import maps; every other type is counted and ignored. */
export const MAPPED_TYPES = ['Patient', 'Organization', 'Coverage', 'Condition', 'ServiceRequest', 'Encounter', 'Procedure', 'Observation'] as const;
export type MappedType = (typeof MAPPED_TYPES)[number];
