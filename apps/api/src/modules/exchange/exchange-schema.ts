import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { END_REASONS, EVENT_KINDS, INSTRUMENTS, SESSION_KINDS, SEXES, type Violation } from '@copd/domain';

/**
 * JSON Schema of the exchange document (DOMAIN.md 8). It checks shape only: types, required fields, codes and
 * list values. Business rules (dates within the enrolment, contracts in force, value ranges) are the domain
 * validators' job, so both report with the same paths and the import can list every error at once.
 */
const AGB = { type: 'string', pattern: '^[0-9]{8}$' } as const;
const UZOVI = { type: 'string', pattern: '^[0-9]{4}$' } as const;
const DATE = { type: 'string', format: 'date' } as const;
const CENTS = { type: 'integer', minimum: 0, maximum: 2147483647 } as const;
const REF = { type: 'string', minLength: 1, maxLength: 64 } as const;

function object(properties: Record<string, unknown>, optional: string[] = []) {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((p) => !optional.includes(p)),
    properties,
  };
}

function list(item: unknown) {
  return { type: 'array', items: item };
}

export const EXCHANGE_DOCUMENT_SCHEMA = {
  $id: 'urn:copd-tracker:exchange-document',
  ...object(
    {
      experiment: object({
        code: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,40}$' },
        name: { type: 'string', minLength: 1, maxLength: 200 },
        start: DATE,
        end: DATE,
        analysisDate: DATE,
      }),
      insurers: list(object({ uzovi: UZOVI, name: { type: 'string', minLength: 1, maxLength: 200 } })),
      practices: list(
        object({
          agb: AGB,
          name: { type: 'string', minLength: 1, maxLength: 200 },
          region: { type: 'string', minLength: 1, maxLength: 100 },
        }),
      ),
      contracts: list(
        object({
          practice: AGB,
          insurer: UZOVI,
          arm: { enum: ['BUNDLE', 'FFS'] },
          validFrom: DATE,
          validTo: DATE,
          bundle: object({ intake: CENTS, quarter: CENTS }),
          ffs: object({ intake: CENTS, session: CENTS, homeSupplement: CENTS, groupSession: CENTS }),
        }),
      ),
      patients: list(
        object(
          {
            ref: REF,
            practice: AGB,
            insurer: UZOVI,
            birthYear: { type: 'integer', minimum: 1900, maximum: 2100 },
            sex: { enum: [...SEXES] },
            goldStage: { type: 'integer' },
            profile: { type: 'integer' },
            referralDate: DATE,
            intakeDate: DATE,
            endDate: { type: ['string', 'null'], format: 'date' },
            endReason: { enum: [...END_REASONS, null] },
          },
          ['endDate', 'endReason'],
        ),
      ),
      sessions: list(object({ patient: REF, practice: AGB, date: DATE, kind: { enum: [...SESSION_KINDS] } })),
      measurements: list(
        object({ patient: REF, practice: AGB, date: DATE, instrument: { enum: [...INSTRUMENTS] }, value: { type: 'number' } }),
      ),
      events: list(object({ patient: REF, practice: AGB, date: DATE, kind: { enum: [...EVENT_KINDS] } })),
    },
    ['insurers', 'practices', 'contracts', 'patients', 'sessions', 'measurements', 'events'],
  ),
};

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv, ['date']);
const validateShape = ajv.compile(EXCHANGE_DOCUMENT_SCHEMA);

/** Every shape error of the document, with JSON paths such as `$.sessions[17].date`. */
export function shapeViolations(document: unknown): Violation[] {
  if (validateShape(document)) return [];
  return (validateShape.errors ?? []).map(toViolation);
}

/** '/sessions/17/date' -> '$.sessions[17].date'. */
export function toJsonPath(instancePath: string): string {
  if (instancePath === '') return '$';
  return (
    '$' +
    instancePath
      .slice(1)
      .split('/')
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map(member)
      .join('')
  );
}

function member(segment: string): string {
  if (/^\d+$/.test(segment)) return `[${segment}]`;
  return /^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
}

const TYPE_NL: Record<string, string> = {
  string: 'tekst',
  integer: 'een geheel getal',
  number: 'een getal',
  object: 'een object',
  array: 'een lijst',
  null: 'leeg (null)',
  boolean: 'waar/onwaar',
};

function toViolation(e: ErrorObject): Violation {
  const path = toJsonPath(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        code: 'SHAPE.REQUIRED',
        path: path + member(String(params.missingProperty)),
        message: `Het verplichte veld '${String(params.missingProperty)}' ontbreekt.`,
      };
    case 'additionalProperties':
      return {
        code: 'SHAPE.UNKNOWN_FIELD',
        path: path + member(String(params.additionalProperty)),
        message: `Onbekend veld '${String(params.additionalProperty)}': laat het weg of controleer de spelling.`,
      };
    case 'type':
      return {
        code: 'SHAPE.TYPE',
        path,
        message: `Verwacht ${String(params.type).split(',').map((t) => TYPE_NL[t] ?? t).join(' of ')}.`,
      };
    case 'enum':
      return {
        code: 'SHAPE.ENUM',
        path,
        message: `Onbekende waarde; kies uit ${(params.allowedValues as unknown[]).join(', ')}.`,
      };
    case 'format':
      return { code: 'SHAPE.DATE', path, message: 'Geen bestaande datum; gebruik het formaat JJJJ-MM-DD (bijv. 2025-02-10).' };
    case 'pattern':
      return { code: 'SHAPE.PATTERN', path, message: patternMessage(String(params.pattern)) };
    case 'minimum':
    case 'maximum':
      return { code: 'SHAPE.RANGE', path, message: `De waarde moet ${e.keyword === 'minimum' ? 'minstens' : 'hoogstens'} ${String(params.limit)} zijn.` };
    case 'minLength':
    case 'maxLength':
      return {
        code: 'SHAPE.LENGTH',
        path,
        message: `De tekst moet ${e.keyword === 'minLength' ? 'minstens' : 'hoogstens'} ${String(params.limit)} tekens lang zijn.`,
      };
    default:
      return { code: `SHAPE.${e.keyword.toUpperCase()}`, path, message: e.message ?? 'Ongeldige waarde.' };
  }
}

function patternMessage(pattern: string): string {
  if (pattern === AGB.pattern) return 'Een AGB-code bestaat uit precies 8 cijfers (voorloopnullen tellen mee), als tekst.';
  if (pattern === UZOVI.pattern) return 'Een UZOVI-code bestaat uit precies 4 cijfers, als tekst.';
  return 'De code mag 1-40 letters, cijfers, punten, streepjes of liggende streepjes bevatten.';
}
