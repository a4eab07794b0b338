import { isAgbCode, isUzoviCode, isValidBsn, normalizeBsn, type Instrument } from '@copd/domain';
import type { ReadProgress, SourceBatch, SourceFile, SourceLocator, SourcePatient, SourceProblem } from '../source-records';
import {
  COPD_CODES,
  END_REASON_CODES,
  EXACERBATION_CODE,
  FHIR_GENDER_TO_SEX,
  GOLD_STAGE_CODES,
  INPATIENT_CLASSES,
  INSTRUMENT_CODES,
  LOCAL_CODES,
  MAPPED_TYPES,
  NATIONAL_PERSON_SYSTEMS,
  SESSION_CODES,
  SESSION_KIND_BY_CLASS,
  SEVERITY_CODES,
  SYSTEMS,
  type InstrumentCode,
  type MappedType,
} from './fhir-terminology';
import { validateStructure } from './fhir-validation';

/**
 * FHIR R4 into the source-record model (README "FHIR R4 mapping"): Bundles of type collection, transaction,
 * batch or searchset, NDJSON (one resource per line, as a bulk export writes it) or a single resource. Every
 * mapped resource is structure-checked first; an invalid one is a problem naming file, resource, element and
 * reason and is not read further. References: urn:uuid: through the entry's fullUrl, or relative Type/id (also
 * across files, as NDJSON files of one bulk export point into each other). Other resource types are counted in
 * `ignored` and skipped. One pass reads and indexes, a second maps; every lookup is a Map get, so the cost is
 * linear in the resources read.
 */
export interface FhirBatch extends SourceBatch {
  /** Resources read but not mapped, by type (Claim, ExplanationOfBenefit, ...) or type:reason (an Observation of another code). */
  ignored: Record<string, number>;
}

type Json = Record<string, unknown>;

interface Item {
  type: MappedType;
  resource: Json;
  file: string;
  /** The entry's fullUrl (urn:uuid:... or an absolute URL) when it came from a Bundle. */
  fullUrl?: string;
  locator: SourceLocator;
  /** Patient items: the key records point to. */
  key?: string;
}

const PROGRESS_EVERY = 5000;
const BUNDLE_TYPES = new Set(['collection', 'transaction', 'batch', 'searchset']);
const MAPPED = new Set<string>(MAPPED_TYPES);
const RELATIVE_REFERENCE = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;
const FULL_DATE = /^(\d{4}-\d{2}-\d{2})/;
const PARTIAL_DATE = /^\d{4}(-\d{2})?$/;
const INSTRUMENT_BY_CODE = new Map<string, InstrumentCode>(INSTRUMENT_CODES.map((c) => [`${c.system}|${c.code}`, c]));

export function readFhir(files: SourceFile[], onProgress?: ReadProgress): FhirBatch {
  return new FhirReader(onProgress).read(files);
}

class FhirReader {
  private readonly batch: FhirBatch = { patients: [], sessions: [], measurements: [], events: [], problems: [], skipped: [], read: 0, ignored: {} };
  private readonly items: Item[] = [];
  private readonly byKey = new Map<string, Item>();
  private readonly patients = new Map<Item, SourcePatient>();
  /** Referral dates seen per patient: the latest ServiceRequest wins. */
  private readonly referralAuthored = new Map<SourcePatient, string>();
  /** Encounters that a session Procedure points to: not a second session. */
  private readonly sessionEncounters = new Set<Item>();

  constructor(private readonly onProgress?: ReadProgress) {}

  read(files: SourceFile[]): FhirBatch {
    for (const file of files) this.readFile(file);
    this.onProgress?.({ phase: 'read', done: this.batch.read, total: this.batch.read });
    this.mapAll();
    return this.batch;
  }

  // ---- pass 1: read, check structure, index ---------------------------------------------------------------

  private readFile(file: SourceFile): void {
    const text = file.content.toString('utf8');
    const at: SourceLocator = { file: file.name };
    if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(file.content)) {
      this.problem(at, '', 'IMPORT.FHIR_NOT_FHIR', { reason: 'utf-8' });
      return;
    }
    const start = text.trimStart();
    if (!file.name.toLowerCase().endsWith('.ndjson')) {
      let whole: unknown;
      let parsed = true;
      try {
        whole = JSON.parse(text);
      } catch {
        parsed = false;
      }
      if (parsed) {
        this.readDocument(whole, file.name);
        return;
      }
      if (!start.startsWith('{')) {
        this.problem(at, '', 'IMPORT.FHIR_NOT_FHIR', { reason: 'json' });
        return;
      }
    }
    this.readNdjson(text, file.name);
  }

  private readDocument(value: unknown, file: string): void {
    if (!isObject(value) || typeof value.resourceType !== 'string') {
      this.problem({ file }, 'resourceType', 'IMPORT.FHIR_NOT_FHIR', { reason: 'resourceType' });
      return;
    }
    if (value.resourceType !== 'Bundle') {
      this.take(value, file, undefined);
      return;
    }
    const type = value.type;
    if (typeof type !== 'string' || !BUNDLE_TYPES.has(type)) {
      this.problem({ file, resource: 'Bundle' }, 'Bundle.type', 'IMPORT.FHIR_BUNDLE_TYPE', { value: typeof type === 'string' ? type : '-' });
      return;
    }
    const entries = value.entry ?? [];
    if (!Array.isArray(entries)) {
      this.problem({ file, resource: 'Bundle' }, 'Bundle.entry', 'IMPORT.FHIR_STRUCTURE_INVALID', { reason: 'type:array' });
      return;
    }
    entries.forEach((entry: unknown, i) => {
      if (!isObject(entry) || entry.resource === undefined) return; // a DELETE or a search outcome link: nothing to read
      const fullUrl = typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined;
      if (!isObject(entry.resource) || typeof entry.resource.resourceType !== 'string') {
        this.batch.read++;
        this.problem({ file, resource: fullUrl ?? `Bundle.entry[${i}]` }, `Bundle.entry[${i}].resource`, 'IMPORT.FHIR_NOT_FHIR', { reason: 'resourceType' });
        return;
      }
      this.take(entry.resource, file, fullUrl);
    });
  }

  /** One resource per line; lines are cut from the text as they come (no array of all lines). */
  private readNdjson(text: string, file: string): void {
    let from = 0;
    let line = 0;
    while (from < text.length) {
      let to = text.indexOf('\n', from);
      if (to < 0) to = text.length;
      const raw = text.slice(from, to).trim();
      from = to + 1;
      line++;
      if (raw === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        this.batch.read++;
        this.problem({ file, row: line }, '', 'IMPORT.FHIR_NOT_FHIR', { reason: 'json' });
        continue;
      }
      if (!isObject(value) || typeof value.resourceType !== 'string') {
        this.batch.read++;
        this.problem({ file, row: line }, 'resourceType', 'IMPORT.FHIR_NOT_FHIR', { reason: 'resourceType' });
        continue;
      }
      this.take(value, file, undefined, line);
    }
  }

  private take(resource: Json, file: string, fullUrl: string | undefined, line?: number): void {
    this.batch.read++;
    if (this.onProgress && this.batch.read % PROGRESS_EVERY === 0) this.onProgress({ phase: 'read', done: this.batch.read });
    const type = resource.resourceType as string;
    if (!MAPPED.has(type)) {
      this.ignore(type);
      return;
    }
    const id = typeof resource.id === 'string' ? resource.id : undefined;
    const name = id !== undefined ? `${type}/${id}` : (fullUrl ?? `${type}#${line ?? this.batch.read}`);
    const locator: SourceLocator = line !== undefined ? { file, row: line, resource: name } : { file, resource: name };
    const issues = validateStructure(resource, type as MappedType);
    if (issues.length > 0) {
      for (const issue of issues) this.problem(locator, issue.field, 'IMPORT.FHIR_STRUCTURE_INVALID', { reason: issue.reason });
      return;
    }
    const keys = [id !== undefined ? `${type}/${id}` : undefined, fullUrl].filter((k): k is string => k !== undefined);
    const taken = keys.find((k) => this.byKey.has(k));
    if (taken !== undefined) {
      // The same resource sent twice unchanged (transaction bundles of several patients share their Organizations)
      // is read once; the same id with other content is a duplicate the practice must resolve.
      const first = this.byKey.get(taken)!;
      if (sameContent(first.resource, resource)) return this.ignore(`${type}:repeated`);
      this.problem(locator, `${type}.id`, 'IMPORT.FHIR_DUPLICATE_RESOURCE', { value: taken, first: first.file });
      return;
    }
    const item: Item = { type: type as MappedType, resource, file, fullUrl, locator };
    for (const k of keys) this.byKey.set(k, item);
    this.items.push(item);
  }

  // ---- pass 2: map --------------------------------------------------------------------------------------

  private mapAll(): void {
    const order: MappedType[] = ['Patient', 'Coverage', 'ServiceRequest', 'Condition', 'Procedure', 'Encounter', 'Observation'];
    const byType = new Map<MappedType, Item[]>(MAPPED_TYPES.map((t) => [t, []]));
    for (const item of this.items) byType.get(item.type)!.push(item);
    let done = 0;
    const total = this.items.length;
    for (const type of order) {
      for (const item of byType.get(type)!) {
        this.mapItem(item);
        done++;
        if (this.onProgress && done % PROGRESS_EVERY === 0) this.onProgress({ phase: 'check', done, total });
      }
      if (type === 'Patient') this.assignPatientKeys();
    }
    this.onProgress?.({ phase: 'check', done: total, total });
  }

  private mapItem(item: Item): void {
    switch (item.type) {
      case 'Patient':
        return this.mapPatient(item);
      case 'Coverage':
        return this.mapCoverage(item);
      case 'ServiceRequest':
        return this.mapServiceRequest(item);
      case 'Condition':
        return this.mapCondition(item);
      case 'Procedure':
        return this.mapProcedure(item);
      case 'Encounter':
        return this.mapEncounter(item);
      case 'Observation':
        return this.mapObservation(item);
      case 'Organization':
        return; // read through the references that point to it
    }
  }

  private mapPatient(item: Item): void {
    const r = item.resource;
    const identifiers = asArray(r.identifier);
    const source = item.locator;
    const patient: SourcePatient = { key: '', source };
    identifiers.forEach((identifier, i) => {
      if (identifier.system !== SYSTEMS.bsn) return;
      // The BSN is passed on for the planner to turn into the HMAC; a wrong one is named, never echoed.
      const value = typeof identifier.value === 'string' ? identifier.value : '';
      if (isValidBsn(value)) patient.bsn = normalizeBsn(value)!;
      else this.problem(source, `Patient.identifier[${i}].value`, 'ENROLMENT.BSN_INVALID', {});
    });
    const ref = practiceRef(identifiers);
    if (ref !== undefined) patient.ref = ref;
    patient.key = ref ?? (r.id as string | undefined) ?? item.fullUrl ?? source.resource!;
    const practice = this.organizationCode(item, r.managingOrganization, 'Patient.managingOrganization', SYSTEMS.agb);
    if (practice !== undefined) patient.practice = practice;
    if (typeof r.birthDate === 'string') patient.birthYear = Number(r.birthDate.slice(0, 4));
    if (typeof r.gender === 'string' && FHIR_GENDER_TO_SEX[r.gender]) patient.sex = FHIR_GENDER_TO_SEX[r.gender];
    this.pending.push({ item, patient });
  }

  /** Patients read, waiting for their keys: a ref is the key unless two practices use the same ref. */
  private readonly pending: { item: Item; patient: SourcePatient }[] = [];

  /**
   * The key records point to: the practice's own number; when two Patients of different practices share it (an
   * evaluator's upload of several practices), 'AGB:ref' for each of them. The same number twice in one practice
   * (or with no practice to tell them apart) is a duplicate patient: the later one is a problem.
   */
  private assignPatientKeys(): void {
    const practicesByKey = new Map<string, Set<string>>();
    for (const { patient } of this.pending) {
      const set = practicesByKey.get(patient.key) ?? new Set<string>();
      set.add(patient.practice ?? '');
      practicesByKey.set(patient.key, set);
    }
    const taken = new Map<string, SourceLocator>();
    for (const { item, patient } of this.pending) {
      const practices = practicesByKey.get(patient.key)!;
      if (practices.size > 1 && patient.practice !== undefined) patient.key = `${patient.practice}:${patient.key}`;
      const clash = taken.get(patient.key);
      if (clash !== undefined) {
        this.problem(patient.source, 'Patient.identifier', 'IMPORT.FHIR_DUPLICATE_PATIENT', { value: patient.key, first: clash.resource ?? clash.file });
        continue;
      }
      taken.set(patient.key, patient.source);
      item.key = patient.key;
      this.patients.set(item, patient);
      this.batch.patients.push(patient);
      const deceased = item.resource.deceasedDateTime;
      if (deceased !== undefined) {
        const date = this.date(patient.source, 'Patient.deceasedDateTime', deceased, patient.key);
        if (date !== undefined) this.batch.events.push({ patientKey: patient.key, date, kind: 'DEATH', source: patient.source });
      }
    }
  }

  private mapCoverage(item: Item): void {
    const r = item.resource;
    const patient = this.subject(item, r.beneficiary, 'Coverage.beneficiary');
    if (patient === undefined) return;
    if (r.status === 'cancelled' || r.status === 'entered-in-error') return this.skip(item, 'IMPORT.FHIR_STATUS_NOT_IN_FORCE');
    const payors = asArray(r.payor);
    for (let i = 0; i < payors.length; i++) {
      const uzovi = this.organizationCode(item, payors[i], `Coverage.payor[${i}]`, SYSTEMS.uzovi, patient.key);
      if (uzovi !== undefined) {
        patient.insurer ??= uzovi;
        return;
      }
    }
  }

  private mapServiceRequest(item: Item): void {
    const r = item.resource;
    if (!hasCode(r.code, SYSTEMS.snomed, SESSION_CODES)) return this.ignore('ServiceRequest:other-code');
    const patient = this.subject(item, r.subject, 'ServiceRequest.subject');
    if (patient === undefined) return;
    if (r.status === 'revoked' || r.status === 'entered-in-error') return this.skip(item, 'IMPORT.FHIR_STATUS_NOT_IN_FORCE');
    const authored = r.authoredOn === undefined ? undefined : this.date(item.locator, 'ServiceRequest.authoredOn', r.authoredOn, patient.key);
    const previous = this.referralAuthored.get(patient);
    if (previous !== undefined && authored !== undefined && authored < previous) return; // an older referral: the latest wins
    if (authored !== undefined) {
      this.referralAuthored.set(patient, authored);
      patient.referralDate = authored;
    }
    const period = isObject(r.occurrencePeriod) ? r.occurrencePeriod : undefined;
    if (period?.start !== undefined) {
      const intake = this.date(item.locator, 'ServiceRequest.occurrencePeriod.start', period.start, patient.key);
      if (intake !== undefined) patient.intakeDate = intake;
    }
    if (period?.end !== undefined) {
      const end = this.date(item.locator, 'ServiceRequest.occurrencePeriod.end', period.end, patient.key);
      if (end !== undefined) patient.endDate = end;
    }
    asArray(r.extension).forEach((extension, i) => {
      if (extension.url !== SYSTEMS.endReasonExtension) return;
      const code = extension.valueCode;
      if (typeof code === 'string' && END_REASON_CODES.has(code as never)) patient.endReason = code;
      else this.problem(item.locator, `ServiceRequest.extension[${i}].valueCode`, 'IMPORT.FHIR_CODE_UNKNOWN', { value: codeText(code, SYSTEMS.endReason) }, patient.key);
    });
    if (patient.practice === undefined) {
      const performers = asArray(r.performer);
      for (let i = 0; i < performers.length && patient.practice === undefined; i++) {
        const agb = this.organizationCode(item, performers[i], `ServiceRequest.performer[${i}]`, SYSTEMS.agb, patient.key);
        if (agb !== undefined) patient.practice = agb;
      }
    }
  }

  private mapCondition(item: Item): void {
    const r = item.resource;
    const codings = codingsOf(r.code);
    const isCopd = codings.some((c) => c.system === SYSTEMS.snomed && COPD_CODES.has(str(c.code)));
    const isExacerbation = codings.some((c) => c.system === SYSTEMS.snomed && c.code === EXACERBATION_CODE);
    if (!isCopd && !isExacerbation) return this.ignore('Condition:other-code');
    const patient = this.subject(item, r.subject, 'Condition.subject');
    if (patient === undefined) return;
    if (isCopd) {
      asArray(r.stage).forEach((stage, i) => {
        const summary = codingsOf(stage.summary);
        if (summary.length === 0) return;
        const known = summary.find((c) => c.system === SYSTEMS.local && GOLD_STAGE_CODES[str(c.code)] !== undefined);
        if (known) patient.goldStage = GOLD_STAGE_CODES[str(known.code)];
        else this.problem(item.locator, `Condition.stage[${i}].summary`, 'IMPORT.FHIR_CODE_UNKNOWN', { value: codeText(summary[0].code, summary[0].system) }, patient.key);
      });
      return;
    }
    if (isVerificationRefuted(r)) return this.skip(item, 'IMPORT.FHIR_STATUS_NOT_IN_FORCE');
    const onset = r.onsetDateTime ?? (isObject(r.onsetPeriod) ? r.onsetPeriod.start : undefined);
    if (onset === undefined) return this.problem(item.locator, 'Condition.onset[x]', 'IMPORT.FHIR_DATE_MISSING', {}, patient.key);
    const date = this.date(item.locator, 'Condition.onset[x]', onset, patient.key);
    const severity = codingsOf(r.severity).find((c) => c.system === SYSTEMS.snomed && SEVERITY_CODES[str(c.code)] !== undefined);
    if (severity === undefined) return this.problem(item.locator, 'Condition.severity', 'IMPORT.FHIR_SEVERITY_MISSING', {}, patient.key);
    if (date !== undefined) this.batch.events.push({ patientKey: patient.key, date, kind: SEVERITY_CODES[str(severity.code)], source: item.locator });
  }

  private mapProcedure(item: Item): void {
    const r = item.resource;
    if (!hasCode(r.code, SYSTEMS.snomed, SESSION_CODES)) return this.ignore('Procedure:other-code');
    const patient = this.subject(item, r.subject, 'Procedure.subject');
    if (patient === undefined) return;
    if (r.status !== 'completed' && r.status !== 'in-progress') return this.skip(item, 'IMPORT.FHIR_STATUS_NOT_DONE');
    const when = r.performedDateTime ?? (isObject(r.performedPeriod) ? r.performedPeriod.start : undefined);
    if (when === undefined) return this.problem(item.locator, 'Procedure.performed[x]', 'IMPORT.FHIR_DATE_MISSING', {}, patient.key);
    const date = this.date(item.locator, 'Procedure.performed[x]', when, patient.key);
    let kind: string | undefined;
    const category = codingsOf(r.category).find((c) => c.system === SYSTEMS.sessionKind);
    if (category !== undefined) {
      kind = sessionKindCode(str(category.code));
      if (kind === undefined) return this.problem(item.locator, 'Procedure.category', 'IMPORT.FHIR_CODE_UNKNOWN', { value: codeText(category.code, SYSTEMS.sessionKind) }, patient.key);
    }
    if (kind === undefined && r.encounter !== undefined) {
      const encounter = this.resolve(item, r.encounter);
      if (encounter === undefined || encounter.type !== 'Encounter') {
        return this.problem(item.locator, 'Procedure.encounter', 'IMPORT.FHIR_REFERENCE_UNRESOLVED', { value: referenceText(r.encounter) }, patient.key);
      }
      this.sessionEncounters.add(encounter);
      kind = this.encounterKind(encounter, item.locator, 'Procedure.encounter', patient.key);
      if (kind === undefined) return;
    }
    if (kind === undefined) return this.problem(item.locator, 'Procedure.category', 'IMPORT.FHIR_SESSION_KIND_UNKNOWN', { value: '-' }, patient.key);
    if (date !== undefined) this.batch.sessions.push({ patientKey: patient.key, date, kind, source: item.locator });
  }

  private mapEncounter(item: Item): void {
    const r = item.resource;
    const classCode = isObject(r.class) ? str(r.class.code) : '';
    const isSession = asArray(r.type).some((t) => hasCode(t, SYSTEMS.snomed, SESSION_CODES));
    const inpatient = INPATIENT_CLASSES.has(classCode);
    if (!inpatient && (!isSession || this.sessionEncounters.has(item))) return this.ignore(isSession ? 'Encounter:session-of-procedure' : 'Encounter:other');
    const patient = this.subject(item, r.subject, 'Encounter.subject');
    if (patient === undefined) return;
    if (r.status === 'cancelled' || r.status === 'entered-in-error' || r.status === 'planned') return this.skip(item, 'IMPORT.FHIR_STATUS_NOT_DONE');
    const start = isObject(r.period) ? r.period.start : undefined;
    if (start === undefined) return this.problem(item.locator, 'Encounter.period.start', 'IMPORT.FHIR_DATE_MISSING', {}, patient.key);
    const date = this.date(item.locator, 'Encounter.period.start', start, patient.key);
    if (date === undefined) return;
    if (inpatient) {
      this.batch.events.push({ patientKey: patient.key, date, kind: 'HOSPITAL_ADMISSION', source: item.locator });
      return;
    }
    const kind = this.encounterKind(item, item.locator, 'Encounter', patient.key);
    if (kind !== undefined) this.batch.sessions.push({ patientKey: patient.key, date, kind, source: item.locator });
  }

  private mapObservation(item: Item): void {
    const r = item.resource;
    const codings = codingsOf(r.code);
    const profile = codings.some((c) => c.system === LOCAL_CODES.kngfProfile.system && c.code === LOCAL_CODES.kngfProfile.code);
    const instrument = codings.map((c) => INSTRUMENT_BY_CODE.get(`${str(c.system)}|${str(c.code)}`)).find((x) => x !== undefined);
    if (!profile && instrument === undefined) {
      const local = codings.find((c) => c.system === SYSTEMS.local);
      if (local === undefined) return this.ignore('Observation:other-code');
      const patient = this.subject(item, r.subject, 'Observation.subject');
      return this.problem(item.locator, 'Observation.code', 'IMPORT.FHIR_CODE_UNKNOWN', { value: codeText(local.code, SYSTEMS.local) }, patient?.key);
    }
    const patient = this.subject(item, r.subject, 'Observation.subject');
    if (patient === undefined) return;
    if (r.status === 'entered-in-error' || r.status === 'cancelled') return this.skip(item, 'IMPORT.FHIR_STATUS_NOT_DONE');
    const value = this.observationValue(item, instrument, patient.key);
    if (value === undefined) return;
    if (profile) {
      patient.profile = value;
      return;
    }
    const when = r.effectiveDateTime ?? r.effectiveInstant ?? (isObject(r.effectivePeriod) ? r.effectivePeriod.start : undefined);
    if (when === undefined) return this.problem(item.locator, 'Observation.effective[x]', 'IMPORT.FHIR_DATE_MISSING', {}, patient.key);
    const date = this.date(item.locator, 'Observation.effective[x]', when, patient.key);
    if (date !== undefined) {
      this.batch.measurements.push({ patientKey: patient.key, date, instrument: instrument!.instrument satisfies Instrument, value, source: item.locator });
    }
  }

  /** valueQuantity (unit checked), valueInteger; anything else or nothing is a problem. */
  private observationValue(item: Item, instrument: InstrumentCode | undefined, patientKey: string): number | undefined {
    const r = item.resource;
    if (isObject(r.valueQuantity)) {
      const q = r.valueQuantity;
      if (typeof q.value !== 'number') return this.problem(item.locator, 'Observation.valueQuantity.value', 'IMPORT.FHIR_VALUE_MISSING', {}, patientKey);
      if (instrument !== undefined) {
        const unit = str(q.code ?? q.unit);
        if (!instrument.units.includes(unit) || (q.system !== undefined && q.system !== SYSTEMS.ucum && unit !== '')) {
          return this.problem(item.locator, 'Observation.valueQuantity.code', 'IMPORT.FHIR_UNIT_INVALID', { value: unit, expected: instrument.unit.code }, patientKey);
        }
      }
      return q.value;
    }
    if (typeof r.valueInteger === 'number') return r.valueInteger;
    const present = Object.keys(r).find((k) => k.startsWith('value'));
    if (present !== undefined) return this.problem(item.locator, `Observation.${present}`, 'IMPORT.FHIR_VALUE_INVALID', { value: present }, patientKey);
    return this.problem(item.locator, 'Observation.value[x]', 'IMPORT.FHIR_VALUE_MISSING', {}, patientKey);
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  private encounterKind(encounter: Item, at: SourceLocator, field: string, patientKey: string): string | undefined {
    const r = encounter.resource;
    const local = asArray(r.type).flatMap((t) => codingsOf(t)).find((c) => c.system === SYSTEMS.sessionKind);
    if (local !== undefined) {
      const kind = sessionKindCode(str(local.code));
      if (kind === undefined) this.problem(at, `${field}.type`, 'IMPORT.FHIR_CODE_UNKNOWN', { value: codeText(local.code, SYSTEMS.sessionKind) }, patientKey);
      return kind;
    }
    const classCode = isObject(r.class) ? str(r.class.code) : '';
    const kind = SESSION_KIND_BY_CLASS[classCode];
    if (kind === undefined) this.problem(at, `${field}.class`, 'IMPORT.FHIR_SESSION_KIND_UNKNOWN', { value: classCode || '-' }, patientKey);
    return kind;
  }

  /** The patient a record belongs to; an unresolved subject is a problem naming the reference. */
  private subject(item: Item, reference: unknown, field: string): SourcePatient | undefined {
    const target = this.resolve(item, reference);
    const patient = target !== undefined && target.type === 'Patient' ? this.patients.get(target) : undefined;
    if (patient === undefined) {
      // A Patient that was refused (structure, duplicate) already has its problem; name the broken link anyway.
      this.problem(item.locator, field, 'IMPORT.FHIR_REFERENCE_UNRESOLVED', { value: referenceText(reference) });
    }
    return patient;
  }

  private resolve(item: Item, reference: unknown): Item | undefined {
    if (!isObject(reference) || typeof reference.reference !== 'string') return undefined;
    const ref = reference.reference;
    const direct = this.byKey.get(ref);
    if (direct !== undefined) return direct;
    const m = RELATIVE_REFERENCE.exec(ref);
    return m ? this.byKey.get(`${m[1]}/${m[2]}`) : undefined;
  }

  /**
   * An AGB or UZOVI code through a reference: the Organization it points to (its identifier of that system) or a
   * logical reference carrying the identifier itself. Unresolved or without the code: undefined (missing), and a
   * reference that points nowhere is a problem.
   */
  private organizationCode(item: Item, reference: unknown, field: string, system: string, patientKey?: string): string | undefined {
    if (reference === undefined) return undefined;
    if (isObject(reference) && isObject(reference.identifier) && reference.identifier.system === system) {
      return this.checkedCode(item, `${field}.identifier.value`, system, reference.identifier.value, patientKey);
    }
    const target = this.resolve(item, reference);
    if (target === undefined || target.type !== 'Organization') {
      if (isObject(reference) && typeof reference.reference === 'string') {
        this.problem(item.locator, field, 'IMPORT.FHIR_REFERENCE_UNRESOLVED', { value: referenceText(reference) }, patientKey);
      }
      return undefined;
    }
    const identifiers = asArray(target.resource.identifier);
    const i = identifiers.findIndex((x) => x.system === system);
    if (i < 0) return undefined;
    return this.checkedCode(target, `Organization.identifier[${i}].value`, system, identifiers[i].value, patientKey);
  }

  private checkedCode(item: Item, field: string, system: string, value: unknown, patientKey?: string): string | undefined {
    const ok = system === SYSTEMS.agb ? isAgbCode(value) : isUzoviCode(value);
    if (ok) return value as string;
    this.problem(item.locator, field, system === SYSTEMS.agb ? 'ENROLMENT.PRACTICE_INVALID' : 'ENROLMENT.INSURER_INVALID', { value: str(value) }, patientKey);
    return undefined;
  }

  /** The calendar date as written (its own offset): a date without a day is a problem, not a guess. */
  private date(at: SourceLocator, field: string, value: unknown, patientKey?: string): string | undefined {
    const text = str(value);
    const full = FULL_DATE.exec(text);
    if (full) return full[1];
    this.problem(at, field, PARTIAL_DATE.test(text) ? 'IMPORT.FHIR_DATE_PARTIAL' : 'IMPORT.FHIR_DATE_MISSING', { value: text }, patientKey);
    return undefined;
  }

  private problem(source: SourceLocator, field: string, code: string, params: Record<string, string | number | null> = {}, patientKey?: string): undefined {
    const problem: SourceProblem & { patientKey?: string } = { source, field, code, params };
    if (patientKey !== undefined) problem.patientKey = patientKey;
    this.batch.problems.push(problem);
    return undefined;
  }

  private skip(item: Item, reason: string): void {
    this.batch.skipped.push({ source: item.locator, reason });
  }

  private ignore(what: string): void {
    this.batch.ignored[what] = (this.batch.ignored[what] ?? 0) + 1;
  }
}

/**
 * The practice's own patient number: an identifier of a system other than a national person number (BSN, US
 * SSN), preferring one typed MR (medical record number, HL7 v2-0203), then use=usual, then use=official, then the
 * first. Synthea's MRN is such a number.
 */
function practiceRef(identifiers: Json[]): string | undefined {
  const own = identifiers.filter(
    (x) => typeof x.value === 'string' && x.value.trim() !== '' && !NATIONAL_PERSON_SYSTEMS.has(str(x.system)) && x.system !== SYSTEMS.agb && x.system !== SYSTEMS.uzovi,
  );
  const typedMr = own.find((x) => codingsOf(x.type).some((c) => c.system === SYSTEMS.v2IdentifierType && c.code === 'MR'));
  const chosen = typedMr ?? own.find((x) => x.use === 'usual') ?? own.find((x) => x.use === 'official') ?? own.find((x) => x.type === undefined) ?? own[0];
  return chosen === undefined ? undefined : (chosen.value as string).trim();
}

function sameContent(a: Json, b: Json): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sessionKindCode(code: string): string | undefined {
  return ['INDIVIDUAL', 'HOME', 'GROUP', 'REMOTE'].includes(code) ? code : undefined;
}

function isVerificationRefuted(r: Json): boolean {
  return codingsOf(r.verificationStatus).some((c) => c.code === 'refuted' || c.code === 'entered-in-error');
}

function hasCode(concept: unknown, system: string, codes: ReadonlySet<string>): boolean {
  return codingsOf(concept).some((c) => c.system === system && codes.has(str(c.code)));
}

function codingsOf(concept: unknown): Json[] {
  if (!isObject(concept)) return [];
  return asArray(concept.coding);
}

function referenceText(reference: unknown): string {
  if (!isObject(reference)) return '-';
  return typeof reference.reference === 'string' ? reference.reference.slice(0, 120) : '-';
}

/** A code as the report names it: 'code (system)'. */
function codeText(code: unknown, system: unknown): string {
  return `${str(code) || '-'} (${str(system) || '-'})`;
}

function asArray(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
