import 'reflect-metadata';
import { isSmallCell } from '@copd/domain';
import type { Actor, Role } from './actor';

/**
 * What a role may learn about a patient, in one place: the fields it may not see in a response, it may not
 * filter, sort or group on either (a filter on GOLD stage that answers with a count tells the stage as well as
 * the field would), and aggregates over patients whose records it may not see are withheld below
 * MIN_CELL_SIZE (libs/domain). README "Access control" and "What an insurer sees of a patient" say the same.
 *
 * Query DTOs mark each parameter that narrows patients by one of their fields with @Reveals(field); the
 * global FieldVisibilityInterceptor refuses such a parameter with 400 FILTER.NOT_ALLOWED for a role that
 * may not see that field, before anything is read.
 */
export type PatientField =
  | 'ref'
  | 'birthYear'
  | 'sex'
  | 'goldStage'
  | 'profile'
  | 'referralDate'
  | 'intakeDate'
  | 'endReason'
  | 'sessions'
  | 'measurements'
  | 'events';

/**
 * Whose patients a route's figures are about. 'scope': the actor's own (a practice's patients, an insurer's
 * insured, everything for an evaluator). 'peers': other practices' patients, shown to a practice as anonymous
 * peer benchmarks.
 */
export type Audience = 'scope' | 'peers';

/** The record beyond what an insurer sees (README "What an insurer sees of a patient"). */
const CLINICAL: readonly PatientField[] = [
  'ref',
  'birthYear',
  'sex',
  'goldStage',
  'profile',
  'referralDate',
  'endReason',
  'sessions',
  'measurements',
  'events',
];

/**
 * Peer figures show other practices' patients, none of whose fields the practice sees; the intake date is
 * hidden too, because an intake window of a few days narrows a peer practice to one or two patients.
 */
const PEERS_HIDDEN: readonly PatientField[] = [...CLINICAL, 'intakeDate'];

const HIDDEN: Record<Role, Record<Audience, readonly PatientField[]>> = {
  EVALUATOR: { scope: [], peers: [] },
  PRACTICE: { scope: [], peers: PEERS_HIDDEN },
  INSURER: { scope: CLINICAL, peers: PEERS_HIDDEN },
  // Administrators manage accounts and organisations and read no patient routes; the audit log redacts for them.
  ADMIN: { scope: CLINICAL, peers: PEERS_HIDDEN },
  SYSTEM: { scope: [], peers: [] },
  ANONYMOUS: { scope: PEERS_HIDDEN, peers: PEERS_HIDDEN },
};

export function mayUseField(role: Role, field: PatientField, audience: Audience = 'scope'): boolean {
  return !HIDDEN[role][audience].includes(field);
}

/**
 * Whether aggregates this actor reads must leave out cells of fewer than MIN_CELL_SIZE patients: when it may
 * not see the records behind them. An insurer always (it sees no clinical detail of its insured); a practice
 * for peer figures only (its own patients it sees in full); an evaluator never.
 */
export function mustWithholdSmallCells(actor: Actor, audience: Audience = 'scope'): boolean {
  if (actor.role === 'EVALUATOR' || actor.role === 'SYSTEM') return false;
  return audience === 'peers' || actor.role !== 'PRACTICE';
}

/** An aggregate over `patients` patients is withheld for this actor. */
export function withheldFor(actor: Actor, patients: number, audience: Audience = 'scope'): boolean {
  return mustWithholdSmallCells(actor, audience) && isSmallCell(patients);
}

/**
 * Keys of audit details that carry clinical values (patient updates' before/after, measurement values,
 * session and event dates and kinds, filters on them). Only an evaluator reads them; an administrator gets the
 * audit row with these values redacted.
 */
export const CLINICAL_DETAIL_KEYS: ReadonlySet<string> = new Set([
  ...CLINICAL,
  'goldStages',
  'profiles',
  'intakeDate',
  'intakeFrom',
  'intakeTo',
  'endDate',
  'date',
  'from',
  'to',
  'kind',
  'instrument',
  'value',
  // A measurement correction's old and new value (measurement.correct).
  'oldValue',
  'newValue',
]);

export const REDACTED = '[verborgen]';

/** The detail with every clinical value replaced by REDACTED, at any depth (keys stay: what changed is not clinical). */
export function redactClinical(detail: unknown): unknown {
  if (Array.isArray(detail)) return detail.map(redactClinical);
  if (typeof detail !== 'object' || detail === null) return detail;
  return Object.fromEntries(
    Object.entries(detail).map(([key, value]) => [key, CLINICAL_DETAIL_KEYS.has(key) && value !== null ? REDACTED : redactClinical(value)]),
  );
}

const REVEALS = 'copd:reveals';
const AUDIENCE = 'copd:audience';

/** On a query DTO property: this parameter narrows patients by `field`. */
export function Reveals(field: PatientField): PropertyDecorator {
  return (target, property) => {
    const inherited = (Reflect.getMetadata(REVEALS, target) as Record<string, PatientField> | undefined) ?? {};
    Reflect.defineMetadata(REVEALS, { ...inherited, [String(property)]: field }, target);
  };
}

/** The parameters of a query DTO class that reveal a patient field, by parameter name. */
export function revealedFields(dto: unknown): Record<string, PatientField> {
  const prototype = (dto as { prototype?: object } | undefined)?.prototype;
  return prototype ? ((Reflect.getMetadata(REVEALS, prototype) as Record<string, PatientField> | undefined) ?? {}) : {};
}

/** On a route: its figures are about other practices' patients (peer benchmarks). */
export function FiguresOf(audience: Audience): MethodDecorator {
  return (_target, _property, descriptor) => {
    Reflect.defineMetadata(AUDIENCE, audience, descriptor.value as object);
    return descriptor;
  };
}

export function audienceOf(handler: object): Audience {
  return (Reflect.getMetadata(AUDIENCE, handler) as Audience | undefined) ?? 'scope';
}

/** Why a role may not use a field, for the Dutch detail of FILTER.NOT_ALLOWED. */
export function refusalReason(role: Role, audience: Audience): string {
  if (audience === 'peers') return 'andere praktijken kunt u alleen als geheel vergelijken, niet per patiëntkenmerk of intakeperiode';
  if (role === 'INSURER') return 'een verzekeraar ziet geen klinische gegevens of praktijknummers van verzekerden en kan er dus ook niet op filteren';
  return 'uw rol mag dit patiëntgegeven niet zien en er dus ook niet op filteren';
}
