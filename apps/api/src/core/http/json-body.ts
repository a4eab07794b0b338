import { AppError } from '../errors/app-error';

/**
 * Limits every JSON body meets before any code walks it (issue 10, M1 and L9). 64 levels is twice the
 * deepest document this API accepts (an exchange document nests 4 deep, a form 3); deeper is an attack or
 * a mistake, and recursive code downstream (class-transformer, class-validator) would overflow the stack
 * at about 2,000 levels.
 */
export const MAX_JSON_DEPTH = 64;

/** Keys that would change an object's prototype once the body is copied with spread or Object.assign. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Follows the nesting of JSON text chunk by chunk, without parsing it, so a body nested too deep is
 * refused at the first bytes that exceed the limit instead of after reading and parsing all of it.
 * Brackets inside strings do not count (escaped quotes are followed). Malformed JSON is left to the parser.
 */
export class JsonDepthScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxDepth = MAX_JSON_DEPTH) {}

  /** Scans the next chunk; throws REQUEST.TOO_DEEP as soon as the nesting exceeds the limit. */
  scan(chunk: Uint8Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) {
        this.inString = true;
      } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
        if (++this.depth > this.maxDepth) throw tooDeep(this.maxDepth);
      } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
        this.depth--;
      }
    }
  }
}

/**
 * Checks a parsed JSON value (iteratively, so any depth is safe): no key __proto__, constructor or
 * prototype, no NUL character in a key or string (PostgreSQL cannot store U+0000 in text), and no nesting
 * beyond the limit. Throws the first problem with its JSON path.
 */
export function checkJsonValue(root: unknown, maxDepth = MAX_JSON_DEPTH): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) throw nulCharacter(path);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth + 1 > maxDepth) throw tooDeep(maxDepth);
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) throw forbiddenKey(childPath);
      if (key.includes('\u0000')) throw nulCharacter(childPath);
      stack.push({ value: (value as Record<string, unknown>)[key], path: childPath, depth: depth + 1 });
    }
  }
}

export function tooDeep(maxDepth = MAX_JSON_DEPTH): AppError {
  return new AppError(
    'INVALID_REQUEST',
    'REQUEST.TOO_DEEP',
    `De JSON is dieper genest dan ${maxDepth} niveaus. Stuur een document of formulier in de vorm die de API beschrijft (zie /api/docs).`,
  );
}

function forbiddenKey(path: string): AppError {
  const key = path.split('.').pop()!.replace(/\[\d+\]$/, '');
  return new AppError(
    'INVALID_REQUEST',
    'REQUEST.FORBIDDEN_KEY',
    `Het veld "${key}" is niet toegestaan in JSON (op ${path}). Verwijder het en stuur het verzoek opnieuw.`,
    [{ code: 'REQUEST.FORBIDDEN_KEY', path, message: `Het veld "${key}" is niet toegestaan.` }],
  );
}

/** A NUL character (U+0000) in a text of the body, query or path. */
export function nulCharacter(path: string): AppError {
  const where = path ? ` (in ${path})` : '';
  return new AppError(
    'INVALID_REQUEST',
    'REQUEST.NUL_CHARACTER',
    `Tekst mag geen NUL-teken (U+0000) bevatten${where}. Verwijder het teken en stuur het verzoek opnieuw.`,
    path ? [{ code: 'REQUEST.NUL_CHARACTER', path, message: 'Bevat een NUL-teken (U+0000).' }] : [],
  );
}
