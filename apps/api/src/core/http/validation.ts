import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { renderMessage, SHAPE_CODES, type ShapeCode, type Violation } from '@copd/domain';
import { invalidRequest } from '../errors/app-error';
import { MAX_YEAR, MIN_YEAR } from './is-iso-date.decorator';

type Params = Record<string, string | number | null>;

/**
 * Flattens class-validator's tree into violations with dotted paths ('bundle.intake'), one per field, with a code
 * that says what the user has to do (SHAPE_CODES: missing, not a number, not a date, too long, ...), the value
 * entered and the limits in params, and the Dutch text of the catalogue (libs/domain messages.ts); the problem
 * filter gives it in the request's language. A constraint we do not know keeps its own code and message.
 */
export function toViolations(errors: ValidationError[], prefix = ''): Violation[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    return [...fieldViolations(error, path), ...toViolations(error.children ?? [], path)];
  });
}

/** Which failed check speaks for the field: its type before its form, its form before its size. */
const PRIORITY = [
  'isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isIsoDate', 'isIsoDateOrTimestamp', 'isIn', 'isEnum',
  'isUuid', 'isUrl', 'isArray', 'isObject', 'nestedValidation', 'matches', 'isLength', 'minLength', 'maxLength',
  'min', 'max', 'arrayMaxSize',
];

function fieldViolations(error: ValidationError, path: string): Violation[] {
  const failed = Object.keys(error.constraints ?? {});
  if (failed.length === 0) return [];
  if (failed.includes('whitelistValidation')) return [shape(SHAPE_CODES.UNKNOWN_FIELD, path, { value: valueParam(error.value) })];
  const value: unknown = error.value;
  const limits = limitsOf(error);
  if ((value === undefined || value === null || value === '') && !(value === '' && limits.optional)) {
    return [shape(SHAPE_CODES.REQUIRED, path, { value: null })];
  }
  const known = failed.filter((name) => PRIORITY.includes(name)).sort((a, b) => PRIORITY.indexOf(a) - PRIORITY.indexOf(b));
  const unknown = failed
    .filter((name) => !PRIORITY.includes(name))
    .map((name) => ({ code: legacyCode(name), path, message: error.constraints![name] }));
  return known.length > 0 ? [shapeOf(known[0], value, path, limits), ...unknown] : unknown;
}

function shapeOf(constraint: string, value: unknown, path: string, limits: Limits): Violation {
  const entered = { value: valueParam(value) };
  switch (constraint) {
    case 'isDefined':
      return shape(SHAPE_CODES.REQUIRED, path, { value: null });
    case 'isString':
      return shape(SHAPE_CODES.NOT_TEXT, path, entered);
    case 'isInt':
      return shape(SHAPE_CODES.NOT_AN_INTEGER, path, entered);
    case 'isNumber':
      return shape(SHAPE_CODES.NOT_A_NUMBER, path, entered);
    case 'isBoolean':
      return shape(SHAPE_CODES.NOT_A_BOOLEAN, path, entered);
    case 'isIsoDate':
      return shape(SHAPE_CODES.NOT_A_DATE, path, { ...entered, minYear: MIN_YEAR, maxYear: MAX_YEAR });
    case 'isIsoDateOrTimestamp':
      return shape(SHAPE_CODES.NOT_A_DATE_OR_TIME, path, { ...entered, minYear: MIN_YEAR, maxYear: MAX_YEAR });
    case 'isIn':
    case 'isEnum':
      return limits.allowed ? shape(SHAPE_CODES.NOT_ONE_OF, path, { ...entered, allowed: limits.allowed }) : invalid(path, entered);
    case 'isUuid':
      return shape(SHAPE_CODES.NOT_AN_ID, path, entered);
    case 'isUrl':
      return shape(SHAPE_CODES.NOT_A_URL, path, entered);
    case 'isArray':
      return shape(SHAPE_CODES.NOT_A_LIST, path, entered);
    case 'isObject':
    case 'nestedValidation':
      return shape(SHAPE_CODES.NOT_AN_OBJECT, path, entered);
    case 'matches':
      return shape(SHAPE_CODES.PATTERN, path, entered);
    case 'arrayMaxSize':
      return limits.maxItems === undefined ? invalid(path, entered) : shape(SHAPE_CODES.TOO_MANY_ITEMS, path, { ...entered, max: limits.maxItems });
    case 'isLength':
    case 'minLength':
    case 'maxLength':
      return lengthViolation(value, path, limits);
    default:
      return rangeViolation(value, path, limits);
  }
}

function lengthViolation(value: unknown, path: string, limits: Limits): Violation {
  if (typeof value !== 'string') return shape(SHAPE_CODES.NOT_TEXT, path, { value: valueParam(value) });
  const params: Params = { value: valueParam(value), length: value.length };
  if (limits.minLength !== undefined) params.min = limits.minLength;
  if (limits.maxLength !== undefined) params.max = limits.maxLength;
  if (limits.maxLength !== undefined && value.length > limits.maxLength) return shape(SHAPE_CODES.TOO_LONG, path, params);
  if (limits.minLength !== undefined && value.length < limits.minLength) return shape(SHAPE_CODES.TOO_SHORT, path, params);
  return invalid(path, params);
}

function rangeViolation(value: unknown, path: string, limits: Limits): Violation {
  const params: Params = { value: valueParam(value) };
  if (limits.min !== undefined) params.min = limits.min;
  if (limits.max !== undefined) params.max = limits.max;
  return limits.min === undefined && limits.max === undefined ? invalid(path, params) : shape(SHAPE_CODES.OUT_OF_RANGE, path, params);
}

function shape(code: ShapeCode, path: string, params: Params): Violation {
  return { code, path, message: renderMessage(code, params, path, 'nl'), params };
}

function invalid(path: string, params: Params): Violation {
  return shape(SHAPE_CODES.INVALID, path, { value: params.value ?? null });
}

/** 'isFoo' -> 'SHAPE.IS_FOO': the code a check outside PRIORITY has always had. */
function legacyCode(constraint: string): string {
  return `SHAPE.${constraint.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** The value entered as a param: numbers and texts as sent (texts cut at 100 characters), anything else as JSON. */
function valueParam(value: unknown): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

interface Limits {
  optional: boolean;
  allowed?: string;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
}

/** The limits the DTO declares for the field (class-validator's metadata of the checked object's class). */
function limitsOf(error: ValidationError): Limits {
  const target = error.target as object | undefined;
  if (!target || typeof target !== 'object') return { optional: false };
  const rules = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .filter((rule) => rule.propertyName === error.property);
  const limits: Limits = { optional: rules.some((rule) => rule.type === 'conditionalValidation' && rule.name === 'isOptional') };
  for (const rule of rules) {
    const [first, second] = (rule.constraints ?? []) as unknown[];
    switch (rule.name) {
      case 'isIn':
        limits.allowed = (first as unknown[]).join(', ');
        break;
      case 'isEnum':
        limits.allowed = Object.values(first as object).filter((v) => typeof v === 'string').join(', ');
        break;
      case 'min':
        limits.min = Number(first);
        break;
      case 'max':
        limits.max = Number(first);
        break;
      case 'isLength':
        limits.minLength = Number(first);
        if (typeof second === 'number') limits.maxLength = second;
        break;
      case 'minLength':
        limits.minLength = Number(first);
        break;
      case 'maxLength':
        limits.maxLength = Number(first);
        break;
      case 'arrayMaxSize':
        limits.maxItems = Number(first);
        break;
    }
  }
  return limits;
}

/**
 * Integers beyond 2^53 (a 20-digit `offset` or `goldStage`) pass @IsInt, but are no longer exact and no
 * PostgreSQL integer column holds them; they are refused wherever they appear in a body, query or path.
 */
export function unsafeIntegers(root: unknown): Violation[] {
  if (!hasUnsafeInteger(root)) return [];
  const violations: Violation[] = [];
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'number') {
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        const params = { value: String(value), max: Number.MAX_SAFE_INTEGER };
        violations.push({ code: SHAPE_CODES.UNSAFE_INTEGER, path, message: renderMessage(SHAPE_CODES.UNSAFE_INTEGER, params, path, 'nl'), params });
      }
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) stack.push({ value: child, path: path ? `${path}.${key}` : key });
    }
  }
  return violations;
}

/** The fast walk, without paths: an exchange document has a million values, almost never a bad one. */
function hasUnsafeInteger(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'number') {
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) return true;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push(value[i]);
    } else if (value !== null && typeof value === 'object') {
      for (const key in value) stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return false;
}

class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const result: unknown = await super.transform(value, metadata);
    const unsafe = unsafeIntegers(result);
    if (unsafe.length > 0) throw invalidRequest(unsafe, 'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".');
    return result;
  }
}

/** Shape checks on every request DTO: unknown fields are rejected, every failure is reported at once. */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: false,
    // The target names the DTO class whose limits a message quotes (toViolations); the value is what was entered.
    validationError: { target: true, value: true },
    exceptionFactory: (errors) =>
      invalidRequest(toViolations(errors), 'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".'),
  });
}
