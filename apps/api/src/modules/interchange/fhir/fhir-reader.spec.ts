import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ExchangeDocument } from '../../exchange/exchange-document';
import type { SourceFile } from '../source-records';
import { readFhir } from './fhir-reader';
import { toFhirBundles, toFhirNdjson } from './fhir-writer';

const FIXTURES = join(__dirname, '../../../../test/fixtures');
const SYNTHEA = join(FIXTURES, 'synthea-copd');
const NL = join(FIXTURES, 'fhir-nl');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function syntheaFiles(): SourceFile[] {
  return readdirSync(SYNTHEA)
    .filter((f) => f.endsWith('.json.gz'))
    .sort()
    .map((f) => ({ name: f.replace(/\.gz$/, ''), content: gunzipSync(readFileSync(join(SYNTHEA, f))) }));
}

function nlFile(name: string): SourceFile {
  return { name, content: readFileSync(join(NL, name)) };
}

/** Counted straight from a bundle's JSON, independently of the reader: resources by type and by code. */
function countsOf(bundle: Json) {
  const resources: Json[] = bundle.entry.map((e: Json) => e.resource);
  const codes = (r: Json, path = 'code') => ((r[path]?.coding ?? []) as Json[]).map((c) => `${c.system}|${c.code}`);
  return {
    resources: resources.length,
    patients: resources.filter((r) => r.resourceType === 'Patient').length,
    inpatient: resources.filter((r) => r.resourceType === 'Encounter' && r.class?.code === 'IMP').length,
    deceased: resources.filter((r) => r.resourceType === 'Patient' && r.deceasedDateTime).length,
    copd: resources.filter(
      (r) => r.resourceType === 'Condition' && codes(r).some((c) => ['http://snomed.info/sct|185086009', 'http://snomed.info/sct|87433001', 'http://snomed.info/sct|13645005'].includes(c)),
    ).length,
    sixMwt: resources.filter((r) => r.resourceType === 'Observation' && codes(r).includes('http://loinc.org|64098-7')).length,
    exerciseTherapy: resources.filter((r) => r.resourceType === 'Procedure' && codes(r).some((c) => ['http://snomed.info/sct|229065009', 'http://snomed.info/sct|91251008'].includes(c))).length,
    pulmonaryRehabilitation: resources.filter((r) => r.resourceType === 'Procedure' && codes(r).includes('http://snomed.info/sct|15081005')).length,
    claims: resources.filter((r) => r.resourceType === 'Claim').length,
    procedures: resources.filter((r) => r.resourceType === 'Procedure').length,
    observations: resources.filter((r) => r.resourceType === 'Observation').length,
    mrn: resources
      .filter((r) => r.resourceType === 'Patient')
      .map((r) => (r.identifier as Json[]).find((i) => i.type?.coding?.[0]?.code === 'MR')?.value as string),
  };
}

describe('readFhir on the 20 Synthea COPD bundles', () => {
  const files = syntheaFiles();

  it('should read every bundle without a problem of its own when the bundles are US-shaped', () => {
    expect(files).toHaveLength(20);
    const batch = readFhir(files);
    expect(batch.problems).toEqual([]);
    // STATS: 20 patients, 8,153 resources in all (the sum of synthea-copd-STATS.json's resourceTypes).
    const stats = JSON.parse(readFileSync(join(SYNTHEA, 'synthea-copd-STATS.json'), 'utf8')) as { resourceTypes: Record<string, number> };
    expect(batch.read).toBe(Object.values(stats.resourceTypes).reduce((a, b) => a + b, 0));
    expect(batch.patients).toHaveLength(20);
    expect(batch.ignored['Claim']).toBe(stats.resourceTypes['Claim']);
    expect(batch.ignored['ExplanationOfBenefit']).toBe(stats.resourceTypes['ExplanationOfBenefit']);
  });

  it.each(syntheaFiles().map((f) => [f.name, f] as const))('should give the counts of %s that its JSON holds when read alone', (_name, file) => {
    const expected = countsOf(JSON.parse(file.content.toString('utf8')));
    const batch = readFhir([file]);
    expect(batch.problems).toEqual([]);
    expect(batch.read).toBe(expected.resources);
    expect(batch.patients).toHaveLength(expected.patients);
    // The practice's own number is the MRN; Synthea holds no BSN, AGB, UZOVI, GOLD stage, profile or referral.
    expect(batch.patients.map((p) => p.key)).toEqual(expected.mrn);
    for (const p of batch.patients) {
      expect(p.ref).toBe(p.key);
      expect([p.bsn, p.practice, p.insurer, p.goldStage, p.profile, p.referralDate, p.intakeDate]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    }
    // No exercise therapy and no 6MWT in Synthea: 0 sessions, 0 measurements; pulmonary rehabilitation (secondary care) is not a session.
    expect(batch.sessions).toHaveLength(expected.exerciseTherapy);
    expect(batch.measurements).toHaveLength(expected.sixMwt);
    // Every Procedure but exercise therapy (pulmonary rehabilitation among them) and every Observation but the
    // 6MWT is read and left out as another code.
    expect(batch.ignored['Procedure:other-code'] ?? 0).toBe(expected.procedures - expected.exerciseTherapy);
    expect(expected.procedures - expected.exerciseTherapy).toBeGreaterThanOrEqual(expected.pulmonaryRehabilitation);
    expect(batch.ignored['Observation:other-code'] ?? 0).toBe(expected.observations - expected.sixMwt);
    // Events: one HOSPITAL_ADMISSION per inpatient Encounter, one DEATH per deceased Patient.
    expect(batch.events.filter((e) => e.kind === 'HOSPITAL_ADMISSION')).toHaveLength(expected.inpatient);
    expect(batch.events.filter((e) => e.kind === 'DEATH')).toHaveLength(expected.deceased);
    expect(batch.events).toHaveLength(expected.inpatient + expected.deceased);
    expect(batch.ignored['Claim'] ?? 0).toBe(expected.claims);
    expect(expected.copd).toBeGreaterThanOrEqual(1);
  });
});

describe('readFhir on the Dutch worked example (DOMAIN.md 9)', () => {
  it('should read patient P, its six sessions with their kinds, measurements and exacerbation when the bundle is complete', () => {
    const batch = readFhir([nlFile('worked-example.bundle.json')]);
    expect(batch.problems).toEqual([]);
    // 20 resources: 2 Organizations, Patient, Coverage, 2 Conditions, ServiceRequest, 5 Observations, 7 Encounters, Procedure, Claim.
    expect(batch.read).toBe(20);
    // Ignored: the Claim, and the Encounter of the Procedure (not typed as exercise therapy itself).
    expect(batch.ignored).toEqual({ Claim: 1, 'Encounter:other': 1 });
    expect(batch.patients).toEqual([
      {
        key: 'P',
        ref: 'P',
        bsn: '111222333',
        practice: '12345678',
        insurer: '3311',
        birthYear: 1950,
        sex: 'F',
        goldStage: 3,
        profile: 4,
        referralDate: '2025-01-27',
        intakeDate: '2025-02-10',
        source: { file: 'worked-example.bundle.json', resource: 'Patient/patient-p' },
      },
    ]);
    const sessions = batch.sessions.map((s) => `${s.date} ${s.kind}`).sort();
    expect(sessions).toEqual(['2025-02-12 INDIVIDUAL', '2025-02-19 INDIVIDUAL', '2025-03-05 GROUP', '2025-04-02 HOME', '2025-05-20 INDIVIDUAL', '2025-08-14 REMOTE']);
    expect(batch.measurements.map((m) => `${m.date} ${m.instrument} ${m.value}`)).toEqual([
      '2025-02-10 SIX_MWT 350',
      '2025-05-12 SIX_MWT 395',
      '2025-02-10 CCQ 2',
      '2025-05-12 CCQ 1.6',
    ]);
    expect(batch.events.map((e) => `${e.date} ${e.kind}`)).toEqual(['2025-06-03 EXACERBATION_MODERATE']);
    expect(batch.sessions.every((s) => s.patientKey === 'P')).toBe(true);
  });
});

describe('readFhir on broken Dutch FHIR', () => {
  const batch = readFhir([nlFile('broken.ndjson')]);
  const found = batch.problems.map((p) => [p.source.resource ?? `line ${p.source.row}`, p.field, p.code]);

  it.each([
    ['an invalid BSN (fails the 11-proef; never echoed)', ['Patient/b1', 'Patient.identifier[0].value', 'ENROLMENT.BSN_INVALID']],
    ['a missing reference', ['Procedure/zonder-patient', 'Procedure.subject', 'IMPORT.FHIR_REFERENCE_UNRESOLVED']],
    ['an unknown code of our own system', ['Observation/onbekende-code', 'Observation.code', 'IMPORT.FHIR_CODE_UNKNOWN']],
    ['a walk distance in feet', ['Observation/voeten', 'Observation.valueQuantity.code', 'IMPORT.FHIR_UNIT_INVALID']],
    ['a date without a day', ['Observation/zonder-dag', 'Observation.effective[x]', 'IMPORT.FHIR_DATE_PARTIAL']],
    ['an Observation without a value', ['Observation/zonder-waarde', 'Observation.value[x]', 'IMPORT.FHIR_VALUE_MISSING']],
    ['the same resource twice with other content', ['Procedure/dubbel', 'Procedure.id', 'IMPORT.FHIR_DUPLICATE_RESOURCE']],
    ['a number written as text (structure)', ['Observation/tekst-als-getal', 'Observation.valueQuantity.value', 'IMPORT.FHIR_STRUCTURE_INVALID']],
    ['an exacerbation without its severity', ['Condition/exacerbatie-zonder-ernst', 'Condition.severity', 'IMPORT.FHIR_SEVERITY_MISSING']],
    ['an unknown session kind', ['Procedure/onbekende-soort', 'Procedure.category', 'IMPORT.FHIR_CODE_UNKNOWN']],
    ['an emergency encounter typed as exercise therapy', ['Encounter/spoed-als-sessie', 'Encounter.class', 'IMPORT.FHIR_SESSION_KIND_UNKNOWN']],
    ['a line cut off mid-object', ['line 13', '', 'IMPORT.FHIR_NOT_FHIR']],
  ])('should report %s with its file, resource, element and code', (_what, expected) => {
    expect(found).toContainEqual(expected);
  });

  it('should report nothing else, name the file in every problem and never echo the BSN', () => {
    // 12 problems: one per broken line above.
    expect(batch.problems).toHaveLength(12);
    expect(batch.problems.every((p) => p.source.file === 'broken.ndjson')).toBe(true);
    expect(JSON.stringify(batch)).not.toContain('123456789');
    expect(batch.problems.find((p) => p.code === 'IMPORT.FHIR_UNIT_INVALID')!.params).toEqual({ value: '[ft_i]', expected: 'm' });
    expect(batch.problems.find((p) => p.code === 'IMPORT.FHIR_DATE_PARTIAL')!.params).toEqual({ value: '2025-03' });
    // The first of the two 'dubbel' Procedures is read (2025-03-04); the second is the problem.
    expect(batch.sessions.map((s) => `${s.date} ${s.kind}`)).toEqual(['2025-03-04 INDIVIDUAL']);
  });
});

describe('toFhirBundles and toFhirNdjson read back by readFhir', () => {
  const doc: ExchangeDocument = {
    experiment: { code: 'RT', name: 'Round trip', start: '2025-01-01', end: '2029-12-31', analysisDate: '2025-09-30' },
    insurers: [{ uzovi: '3311', name: 'Zorgverzekeraar Noord' }],
    practices: [{ agb: '12345678', name: 'Fysio De Brug', region: 'Utrecht' }],
    contracts: [],
    patients: [
      { ref: 'P', practice: '12345678', insurer: '3311', birthYear: 1950, sex: 'F', goldStage: 3, profile: 4, referralDate: '2025-01-27', intakeDate: '2025-02-10' },
      {
        ref: 'Q/7 é',
        practice: '12345678',
        insurer: '3311',
        birthYear: 1944,
        sex: 'X',
        goldStage: 4,
        profile: 6,
        referralDate: '2025-03-01',
        intakeDate: '2025-03-03',
        endDate: '2025-07-01',
        endReason: 'DECEASED',
      },
    ],
    sessions: [
      { patient: 'P', practice: '12345678', date: '2025-02-12', kind: 'INDIVIDUAL' },
      { patient: 'P', practice: '12345678', date: '2025-03-05', kind: 'GROUP' },
      { patient: 'Q/7 é', practice: '12345678', date: '2025-04-02', kind: 'HOME' },
      { patient: 'Q/7 é', practice: '12345678', date: '2025-04-09', kind: 'REMOTE' },
    ],
    measurements: [
      { patient: 'P', practice: '12345678', date: '2025-02-10', instrument: 'SIX_MWT', value: 350 },
      { patient: 'P', practice: '12345678', date: '2025-02-10', instrument: 'CCQ', value: 1.6 },
      { patient: 'P', practice: '12345678', date: '2025-02-10', instrument: 'CAT', value: 17 },
      { patient: 'P', practice: '12345678', date: '2025-02-10', instrument: 'MMRC', value: 2 },
      { patient: 'P', practice: '12345678', date: '2025-02-10', instrument: 'STEPS', value: 4300 },
    ],
    events: [
      { patient: 'Q/7 é', practice: '12345678', date: '2025-05-01', kind: 'EXACERBATION_SEVERE' },
      { patient: 'Q/7 é', practice: '12345678', date: '2025-05-02', kind: 'HOSPITAL_ADMISSION' },
      { patient: 'Q/7 é', practice: '12345678', date: '2025-07-01', kind: 'DEATH' },
      { patient: 'P', practice: '12345678', date: '2025-06-03', kind: 'EXACERBATION_MODERATE' },
    ],
  };

  const asRecords = (files: SourceFile[]) => {
    const batch = readFhir(files);
    expect(batch.problems).toEqual([]);
    return {
      patients: batch.patients.map(({ source: _s, key: _k, ...p }) => p),
      sessions: batch.sessions.map((s) => [s.patientKey, s.date, s.kind]).sort(),
      measurements: batch.measurements.map((m) => [m.patientKey, m.date, m.instrument, m.value]).sort(),
      events: batch.events.map((e) => [e.patientKey, e.date, e.kind]).sort(),
    };
  };
  const expected = {
    patients: doc.patients.map((p) => ({ endDate: undefined, endReason: undefined, ...p })).map((p) => JSON.parse(JSON.stringify(p))),
    sessions: doc.sessions.map((s) => [s.patient, s.date, s.kind]).sort(),
    measurements: doc.measurements.map((m) => [m.patient, m.date, m.instrument, m.value]).sort(),
    events: doc.events.map((e) => [e.patient, e.date, e.kind]).sort(),
  };

  it('should give back every patient field and record when the export is NDJSON', () => {
    const ndjson = toFhirNdjson(doc);
    // 2 Organizations once + per patient Patient, Coverage, Condition, ServiceRequest, profile Observation (5 x 2)
    // + 4 Procedures + 5 Observations + 3 events written as resources (the DEATH is Patient.deceasedDateTime) = 24 lines.
    expect(ndjson.trim().split('\n')).toHaveLength(24);
    expect(ndjson).not.toMatch(/NamingSystem\/bsn/);
    expect(asRecords([{ name: 'export.ndjson', content: Buffer.from(ndjson) }])).toEqual(expected);
  });

  it('should give back the same when the export is one Bundle per patient', () => {
    const bundles = toFhirBundles(doc);
    expect(bundles.map((b) => b.name)).toEqual(['12345678-P.json', '12345678-Q_7__.json']);
    const files = bundles.map((b) => ({ name: b.name, content: Buffer.from(JSON.stringify(b.bundle)) }));
    expect(asRecords(files)).toEqual(expected);
  });
});

describe('readFhir bundle types and references', () => {
  const patient = { resourceType: 'Patient', id: 'p9', identifier: [{ use: 'official', system: 'urn:x', value: 'R9' }] };
  const procedure = (id: string, reference: string) => ({
    resourceType: 'Procedure',
    id,
    status: 'completed',
    category: { coding: [{ system: 'https://copd-bundle.nl/fhir/CodeSystem/session-kind', code: 'REMOTE' }] },
    code: { coding: [{ system: 'http://snomed.info/sct', code: '91251008' }] },
    subject: { reference },
    performedDateTime: '2025-03-03T23:30:00+01:00',
  });
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it.each(['collection', 'transaction', 'batch', 'searchset'])('should read a %s Bundle whose references are relative or absolute Type/id', (type) => {
    const bundle = {
      resourceType: 'Bundle',
      type,
      entry: [
        { fullUrl: 'https://ehr.example.nl/fhir/Patient/p9', resource: patient, search: { mode: 'match' } },
        { resource: procedure('a', 'Patient/p9') },
        { resource: procedure('b', 'https://ehr.example.nl/fhir/Patient/p9') },
        { resource: { resourceType: 'OperationOutcome', issue: [] }, search: { mode: 'outcome' } },
      ],
    };
    const batch = readFhir([{ name: 'b.json', content: json(bundle) }]);
    expect(batch.problems).toEqual([]);
    // The date as written in its own offset: 2025-03-03 (23:30 +01:00), not the UTC or Amsterdam day after.
    expect(batch.sessions.map((s) => [s.patientKey, s.date, s.kind])).toEqual([
      ['R9', '2025-03-03', 'REMOTE'],
      ['R9', '2025-03-03', 'REMOTE'],
    ]);
    expect(batch.ignored).toEqual({ OperationOutcome: 1 });
  });

  it('should resolve a reference from an NDJSON file into a Bundle of the same upload', () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }] };
    const batch = readFhir([
      { name: 'Patient.json', content: json(bundle) },
      { name: 'Procedure.ndjson', content: json(procedure('c', 'Patient/p9')) },
    ]);
    expect(batch.problems).toEqual([]);
    expect(batch.sessions.map((s) => s.source)).toEqual([{ file: 'Procedure.ndjson', row: 1, resource: 'Procedure/c' }]);
  });

  it('should refuse a document Bundle and a file that is no JSON at all, naming the file', () => {
    const batch = readFhir([
      { name: 'doc.json', content: json({ resourceType: 'Bundle', type: 'document', entry: [] }) },
      { name: 'export.xlsx', content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]) },
    ]);
    expect(batch.problems.map((p) => [p.source.file, p.field, p.code, p.params])).toEqual([
      ['doc.json', 'Bundle.type', 'IMPORT.FHIR_BUNDLE_TYPE', { value: 'document' }],
      ['export.xlsx', '', 'IMPORT.FHIR_NOT_FHIR', { reason: 'json' }],
    ]);
  });
});

describe('readFhir patient keys', () => {
  it('should key patients AGB:ref when two practices use the same number, and refuse a second one in the same practice', () => {
    const org = (id: string, agb: string) => ({ resourceType: 'Organization', id, identifier: [{ system: 'http://fhir.nl/fhir/NamingSystem/agb-z', value: agb }] });
    const patient = (id: string, org: string) => ({
      resourceType: 'Patient',
      id,
      identifier: [{ use: 'usual', system: 'urn:x', value: 'P1' }],
      managingOrganization: { reference: `Organization/${org}` },
    });
    const session = (id: string, subject: string) => ({
      resourceType: 'Procedure',
      id,
      status: 'completed',
      category: { coding: [{ system: 'https://copd-bundle.nl/fhir/CodeSystem/session-kind', code: 'GROUP' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '229065009' }] },
      subject: { reference: `Patient/${subject}` },
      performedDateTime: '2025-03-03',
    });
    const lines = [org('a', '11111111'), org('b', '22222222'), patient('pa', 'a'), patient('pb', 'b'), patient('pa2', 'a'), session('s1', 'pa'), session('s2', 'pb')];
    const batch = readFhir([{ name: 'two.ndjson', content: Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n')) }]);
    expect(batch.patients.map((p) => [p.key, p.ref, p.practice])).toEqual([
      ['11111111:P1', 'P1', '11111111'],
      ['22222222:P1', 'P1', '22222222'],
    ]);
    expect(batch.sessions.map((s) => s.patientKey)).toEqual(['11111111:P1', '22222222:P1']);
    expect(batch.problems.map((p) => [p.source.resource, p.code])).toEqual([['Patient/pa2', 'IMPORT.FHIR_DUPLICATE_PATIENT']]);
  });
});

describe('readFhir on 100,000 NDJSON Procedures', () => {
  it('should read every one of them without a problem when the upload is a bulk export of sessions', () => {
    const lines: string[] = [
      JSON.stringify({ resourceType: 'Patient', id: 'p0', identifier: [{ use: 'usual', system: 'urn:x', value: 'R0' }], gender: 'female', birthDate: '1950' }),
    ];
    for (let i = 0; i < 100_000; i++) {
      const day = new Date(Date.UTC(2025, 0, 1) + (i % 3650) * 86_400_000).toISOString().slice(0, 10);
      lines.push(
        JSON.stringify({
          resourceType: 'Procedure',
          id: `s${i}`,
          status: 'completed',
          category: { coding: [{ system: 'https://copd-bundle.nl/fhir/CodeSystem/session-kind', code: 'INDIVIDUAL' }] },
          code: { coding: [{ system: 'http://snomed.info/sct', code: '229065009' }] },
          subject: { reference: 'Patient/p0' },
          performedDateTime: day,
        }),
      );
    }
    // Speed is the benchmark's (tools/bench/interchange-bench.ts prints the FHIR dry run in resources/s); this test
    // checks only what is read: 1 Patient + 100,000 Procedures, every session on the one patient, day i mod 3650.
    const batch = readFhir([{ name: 'sessions.ndjson', content: Buffer.from(lines.join('\n')) }]);
    expect(batch.problems).toEqual([]);
    expect(batch.read).toBe(100_001);
    expect(batch.sessions).toHaveLength(100_000);
    expect(new Set(batch.sessions.map((s) => s.patientKey)).size).toBe(1);
    // Session 3,651 is day 3651 mod 3650 = 1 after 2025-01-01: 2025-01-02.
    expect(batch.sessions[3651].date).toBe('2025-01-02');
  });
});
