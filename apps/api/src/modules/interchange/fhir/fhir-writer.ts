import { createHash } from 'node:crypto';
import type { Bundle, Condition, Encounter, Observation, Procedure, Resource as FhirResource } from '@medplum/fhirtypes';
import type { ExchangeDocument, ExchangeEvent, ExchangeMeasurement, ExchangePatient, ExchangeSession } from '../../exchange/exchange-document';
import {
  EXACERBATION_CODE,
  INSTRUMENT_CODES,
  LOCAL_CODES,
  SESSION_CODE_WRITTEN,
  SEX_TO_FHIR_GENDER,
  SYSTEMS,
} from './fhir-terminology';

/**
 * The exchange document as FHIR R4 (README "FHIR R4 mapping"), in the shape readFhir reads back: per patient its
 * practice and insurer Organizations, Patient, Coverage, the COPD Condition with its GOLD stage, the referral
 * ServiceRequest (authoredOn = referral, occurrencePeriod = intake to end), the KNGF profile Observation, and its
 * sessions (Procedure), measurements (Observation), exacerbations (Condition), admissions (Encounter) and death
 * (Patient.deceasedDateTime). No BSN: the stored pseudonym cannot give one back, and the practice's own patient
 * number identifies the patient. Ids are derived from practice + ref + key, so an export is stable.
 */
/** A typed R4 resource (@medplum/fhirtypes) that has its id: the compiler checks every element written. */
type Resource = FhirResource & { id: string };

const BASE_URL = 'https://copd-bundle.nl/fhir';

const SEVERITY_WRITTEN: Record<string, { code: string; display: string }> = {
  EXACERBATION_MODERATE: { code: '6736007', display: 'Moderate' },
  EXACERBATION_SEVERE: { code: '24484000', display: 'Severe' },
};

export interface PatientResources {
  patient: ExchangePatient;
  resources: Resource[];
}

/** One Bundle (type collection) per patient, in the document's patient order. */
export function toFhirBundles(doc: ExchangeDocument): { name: string; bundle: Bundle }[] {
  return perPatient(doc).map(({ patient, resources }) => ({
    name: `${patient.practice}-${fileSafe(patient.ref)}.json`,
    bundle: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: resources.map((resource) => ({ fullUrl: `${BASE_URL}/${resource.resourceType}/${resource.id}`, resource })),
    },
  }));
}

/** NDJSON for the lot: every Organization once, then each patient's resources; one resource per line. */
export function toFhirNdjson(doc: ExchangeDocument): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const { resources } of perPatient(doc)) {
    for (const resource of resources) {
      const key = `${resource.resourceType}/${resource.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(JSON.stringify(resource));
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Each patient with its resources; records are grouped by patient in one pass (no search per patient). */
export function perPatient(doc: ExchangeDocument): PatientResources[] {
  const practices = new Map(doc.practices.map((p) => [p.agb, p]));
  const insurers = new Map(doc.insurers.map((i) => [i.uzovi, i]));
  const sessions = groupBy(doc.sessions);
  const measurements = groupBy(doc.measurements);
  const events = groupBy(doc.events);
  return doc.patients.map((patient) => {
    const key = `${patient.practice}|${patient.ref}`;
    const pid = patientId(patient);
    const subject = { reference: `Patient/${pid}` };
    const practiceRef = { reference: `Organization/agb-${patient.practice}` };
    const ownEvents = events.get(key) ?? [];
    const death = ownEvents.find((e) => e.kind === 'DEATH');
    const resources: Resource[] = [
      {
        resourceType: 'Organization',
        id: `agb-${patient.practice}`,
        identifier: [{ system: SYSTEMS.agb, value: patient.practice }],
        name: practices.get(patient.practice)?.name ?? patient.practice,
      },
      {
        resourceType: 'Organization',
        id: `uzovi-${patient.insurer}`,
        identifier: [{ system: SYSTEMS.uzovi, value: patient.insurer }],
        name: insurers.get(patient.insurer)?.name ?? patient.insurer,
      },
      {
        resourceType: 'Patient',
        id: pid,
        identifier: [{ use: 'usual', system: SYSTEMS.patientRef, value: patient.ref }],
        gender: SEX_TO_FHIR_GENDER[patient.sex],
        birthDate: String(patient.birthYear),
        ...(death ? { deceasedDateTime: death.date } : {}),
        managingOrganization: practiceRef,
      },
      {
        resourceType: 'Coverage',
        id: `${pid}-coverage`,
        status: 'active',
        beneficiary: subject,
        payor: [{ reference: `Organization/uzovi-${patient.insurer}` }],
      },
      {
        resourceType: 'Condition',
        id: `${pid}-copd`,
        code: { coding: [{ system: SYSTEMS.snomed, code: '13645005', display: 'Chronic obstructive lung disease' }] },
        stage: [{ summary: { coding: [{ system: SYSTEMS.local, code: `gold-${patient.goldStage}`, display: `GOLD ${patient.goldStage}` }] } }],
        subject,
      },
      {
        resourceType: 'ServiceRequest',
        id: `${pid}-referral`,
        ...(patient.endReason ? { extension: [{ url: SYSTEMS.endReasonExtension, valueCode: patient.endReason }] } : {}),
        status: patient.endDate ? 'completed' : 'active',
        intent: 'order',
        code: { coding: [{ system: SYSTEMS.snomed, code: SESSION_CODE_WRITTEN, display: 'Exercise therapy' }] },
        subject,
        occurrencePeriod: { start: patient.intakeDate, ...(patient.endDate ? { end: patient.endDate } : {}) },
        authoredOn: patient.referralDate,
        performer: [practiceRef],
      },
      {
        resourceType: 'Observation',
        id: `${pid}-profile`,
        status: 'final',
        code: { coding: [LOCAL_CODES.kngfProfile] },
        subject,
        effectiveDateTime: patient.intakeDate,
        valueInteger: patient.profile,
      },
      ...(sessions.get(key) ?? []).map((s) => sessionResource(pid, s)),
      ...(measurements.get(key) ?? []).map((m) => measurementResource(pid, m)),
      ...ownEvents.filter((e) => e.kind !== 'DEATH').map((e) => eventResource(pid, e)),
    ];
    return { patient, resources };
  });
}

function sessionResource(pid: string, s: ExchangeSession): Procedure & Resource {
  return {
    resourceType: 'Procedure',
    id: `${pid}-s-${s.date}-${s.kind.toLowerCase()}`,
    status: 'completed',
    category: { coding: [{ system: SYSTEMS.sessionKind, code: s.kind }] },
    code: { coding: [{ system: SYSTEMS.snomed, code: SESSION_CODE_WRITTEN, display: 'Exercise therapy' }] },
    subject: { reference: `Patient/${pid}` },
    performedDateTime: s.date,
  };
}

function measurementResource(pid: string, m: ExchangeMeasurement): Observation & Resource {
  const code = INSTRUMENT_CODES.find((c) => c.instrument === m.instrument)!;
  return {
    resourceType: 'Observation',
    id: `${pid}-m-${m.date}-${m.instrument.toLowerCase().replace(/_/g, '-')}`,
    status: 'final',
    code: { coding: [{ system: code.system, code: code.code, display: code.display }] },
    subject: { reference: `Patient/${pid}` },
    effectiveDateTime: m.date,
    valueQuantity: { value: m.value, unit: code.unit.unit, system: SYSTEMS.ucum, code: code.unit.code },
  };
}

function eventResource(pid: string, e: ExchangeEvent): (Encounter | Condition) & Resource {
  const id = `${pid}-e-${e.date}-${e.kind.toLowerCase().replace(/_/g, '-')}`;
  if (e.kind === 'HOSPITAL_ADMISSION') {
    return {
      resourceType: 'Encounter',
      id,
      status: 'finished',
      class: { system: SYSTEMS.actCode, code: 'IMP', display: 'inpatient encounter' },
      subject: { reference: `Patient/${pid}` },
      period: { start: e.date },
    };
  }
  const severity = SEVERITY_WRITTEN[e.kind];
  return {
    resourceType: 'Condition',
    id,
    severity: { coding: [{ system: SYSTEMS.snomed, code: severity.code, display: severity.display }] },
    code: { coding: [{ system: SYSTEMS.snomed, code: EXACERBATION_CODE, display: 'Acute exacerbation of chronic obstructive airways disease' }] },
    subject: { reference: `Patient/${pid}` },
    onsetDateTime: e.date,
  };
}

/** A FHIR id ([A-Za-z0-9.-]{1,64}) from practice + ref, whatever characters the practice's number holds. */
function patientId(p: ExchangePatient): string {
  return `p-${createHash('sha256').update(`${p.practice}|${p.ref}`).digest('hex').slice(0, 24)}`;
}

function fileSafe(ref: string): string {
  return ref.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
}

function groupBy<T extends { patient: string; practice: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const key = `${row.practice}|${row.patient}`;
    const list = out.get(key);
    if (list) list.push(row);
    else out.set(key, [row]);
  }
  return out;
}
