import fc from 'fast-check';
import { deeplyNested, EXTRA_KEYS, hostileJsonValue } from './hostile-values';
import { JsonObject, JsonTree } from './json-text';

/** The part of an OpenAPI 3 schema object the generators read. */
export interface OpenApiSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  example?: unknown;
  nullable?: boolean;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}

export interface OpenApiOperation {
  parameters?: { name: string; in: 'query' | 'path' | 'header' | 'cookie'; required?: boolean; schema?: OpenApiSchema }[];
  requestBody?: { content: Record<string, { schema: OpenApiSchema }> };
}

/** Real values by field name (from the seeded world), tried before the schema's own description. */
export type Vocabulary = Record<string, string[]>;

/**
 * Plausible numeric ranges of fields whose schema gives no bounds (class-validator checks them, Swagger
 * does not say), so most generated values pass the shape check and reach the business rules.
 */
const NUMBER_RANGES: Record<string, [number, number]> = {
  birthYear: [1925, 1995],
  goldStage: [1, 5],
  profile: [0, 7],
  intake: [0, 60_000],
  quarter: [0, 60_000],
  session: [0, 10_000],
  homeSupplement: [0, 5_000],
  groupSession: [0, 5_000],
  value: [0, 70],
  limit: [1, 1000],
  offset: [0, 20],
};

/** Free-text fields with their own rules (passwords need 12+ characters). */
const TEXT_FIELDS: Record<string, fc.Arbitrary<string>> = {
  password: fc.constantFrom('Correct-Horse-Battery-42', 'xk3!Fq9#pLm2Zr7w', 'password', 'kort'),
  name: fc.constantFrom('Fysiotherapie De Brug', 'Zorgverzekeraar Noord', 'Praktijksoftware', 'Ab'),
  displayName: fc.constantFrom('Jan Jansen', 'J. de Vries-van Dam', 'Ä Ø'),
  policyReference: fc.constantFrom('BR/REG-25147', 'BR/REG-1'),
  code: fc.stringMatching(/^[A-Z]{2,6}-[0-9]{1,4}$/),
  q: fc.constantFrom('fysio', 'noord', 'a', 'Brug'),
  ref: fc.oneof(fc.constantFrom('R-1', 'R-2'), fc.stringMatching(/^R-[0-9]{2,6}$/)),
};

const DAY_MS = 86_400_000;
const DATE_FROM = Date.UTC(2025, 0, 1);
const DATE_DAYS = 540;

/** A calendar date in the seeded contracts' years (2025 to mid-2026); the hostile lists bring the edges. */
export const validDate: fc.Arbitrary<string> = fc.integer({ min: 0, max: DATE_DAYS }).map((d) => new Date(DATE_FROM + d * DAY_MS).toISOString().slice(0, 10));
const validTimestamp: fc.Arbitrary<string> = fc.integer({ min: 0, max: DATE_DAYS * 24 }).map((h) => new Date(DATE_FROM + h * 3_600_000).toISOString());

export function resolve(doc: OpenApiDocument, schema: OpenApiSchema): OpenApiSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`OpenAPI: unresolved ${schema.$ref}`);
  return resolve(doc, target);
}

function types(schema: OpenApiSchema): string[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** A value that should pass the shape check of the field `name` with this schema. */
export function validValue(doc: OpenApiDocument, name: string, raw: OpenApiSchema, vocabulary: Vocabulary): fc.Arbitrary<JsonTree> {
  const schema = resolve(doc, raw);
  const known = vocabulary[name];
  const t = types(schema);
  if (t.includes('array')) {
    const item = validValue(doc, name.replace(/s$/, ''), schema.items ?? {}, vocabulary);
    return fc.array(item, { minLength: 1, maxLength: 3 });
  }
  if (t.includes('object') || schema.properties) return objectValue(doc, schema, vocabulary, 'valid');
  if (known && known.length > 0) return fc.constantFrom<JsonTree>(...known);
  if (schema.enum) return fc.constantFrom(...(schema.enum as JsonTree[]));
  if (t.includes('boolean')) return fc.boolean();
  if (t.includes('integer') || t.includes('number')) {
    const [min, max] = NUMBER_RANGES[name] ?? [schema.minimum ?? 0, Math.min(schema.maximum ?? 10_000, 10_000)];
    const integer = fc.integer({ min, max });
    // CCQ takes one decimal: a tenth keeps most values valid and reaches the "at most one decimal" rule.
    return name === 'value' ? fc.oneof(integer, integer.map((v) => Math.min(max, v / 10))) : integer;
  }
  const example = typeof schema.example === 'string' ? schema.example : undefined;
  if (schema.format === 'date' || /^\d{4}-\d{2}-\d{2}$/.test(example ?? '')) return validDate;
  if (/^\d{4}-\d{2}-\d{2}T/.test(example ?? '')) return validTimestamp;
  if (TEXT_FIELDS[name]) return TEXT_FIELDS[name];
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const min = schema.minLength ?? 1;
  const text = fc.string({ minLength: min, maxLength: Math.max(min, Math.min(schema.maxLength ?? 30, 30)) });
  return example !== undefined ? fc.oneof(fc.constant(example), text) : text;
}

/** A value a field should not accept: hostile, or nested deeper than any parser should follow. */
function badValue(): fc.Arbitrary<JsonTree> {
  return fc.oneof(
    { weight: 8, arbitrary: hostileJsonValue() },
    { weight: 1, arbitrary: fc.constantFrom(deeplyNested(2000, 'array'), deeplyNested(2000, 'object'), deeplyNested(40, 'object')) },
  );
}

/**
 * How a generated object or query string departs from valid: not at all (reaches the business rules and
 * the SQL), in exactly one member (which check catches it), or anywhere (members hostile or missing at random).
 */
export type Departure = 'valid' | 'one' | 'chaos';
export const departure: fc.Arbitrary<Departure> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Departure>('valid') },
  { weight: 6, arbitrary: fc.constant<Departure>('one') },
  { weight: 2, arbitrary: fc.constant<Departure>('chaos') },
);

/** Per member: 0 as generated, 1 replaced by a bad value, 2 left out. */
export function memberActions(count: number): fc.Arbitrary<number[]> {
  const chaos = fc.tuple(...Array.from({ length: count }, () => fc.constantFrom(0, 0, 0, 0, 1, 1, 2)));
  return fc.tuple(departure, fc.nat(), chaos).map(([kind, pick, random]) => {
    if (kind === 'valid' || count === 0) return Array.from({ length: count }, () => 0);
    if (kind === 'one') return Array.from({ length: count }, (_, i) => (i === pick % count ? (pick % 5 === 4 ? 2 : 1) : 0));
    return random;
  });
}

/**
 * An object of this schema. 'valid': the required members and some optional ones, valid. 'fuzzed': valid,
 * or with one member or many replaced by bad values or left out, sometimes with an undeclared key.
 */
export function objectValue(doc: OpenApiDocument, raw: OpenApiSchema, vocabulary: Vocabulary, mode: 'valid' | 'fuzzed'): fc.Arbitrary<JsonTree> {
  const schema = resolve(doc, raw);
  const members = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const valid = fc.tuple(
    ...members.map(([name, member]) => fc.tuple(required.has(name) ? fc.constant(true) : fc.boolean(), validValue(doc, name, member, vocabulary))),
  );
  const build = (chosen: [boolean, JsonTree][]) => members.flatMap(([name], i): [string, JsonTree][] => (chosen[i][0] ? [[name, chosen[i][1]]] : []));
  if (mode === 'valid') return valid.map((chosen) => new JsonObject(build(chosen)));
  const extra = fc.oneof(
    { weight: 9, arbitrary: fc.constant<[string, JsonTree][]>([]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...EXTRA_KEYS), hostileJsonValue()), { minLength: 1, maxLength: 2 }) },
  );
  const bad = fc.tuple(...members.map(() => badValue()));
  return fc.tuple(valid, bad, memberActions(members.length), extra).map(([chosen, bads, actions, added]) => {
    const entries = build(chosen.map(([present, value], i): [boolean, JsonTree] => (actions[i] === 1 ? [true, bads[i]] : actions[i] === 2 ? [false, value] : [present, value])));
    return new JsonObject(actions.some((a) => a !== 0) ? [...entries, ...added] : entries);
  });
}
