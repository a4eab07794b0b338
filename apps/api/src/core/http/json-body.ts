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
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const length = buffer.length;
    let i = 0;
    // Positions of the next quote and backslash from i, searched again only once passed (-1: none left,
    // -2: not searched yet), so each byte is searched once per chunk.
    let quote = -2;
    let backslash = -2;
    while (i < length) {
      if (this.escaped) {
        this.escaped = false;
        i++;
      } else if (this.inString) {
        // Jump to the string's next quote or backslash (native search; strings are most of a document).
        if (quote !== -1 && quote < i) quote = buffer.indexOf(QUOTE, i);
        if (backslash !== -1 && backslash < i) backslash = buffer.indexOf(BACKSLASH, i);
        if (backslash !== -1 && (quote === -1 || backslash < quote)) {
          this.escaped = true;
          i = backslash + 1;
        } else if (quote === -1) {
          i = length;
        } else {
          this.inString = false;
          i = quote + 1;
        }
      } else {
        const byte = buffer[i++];
        if (byte === QUOTE) this.inString = true;
        else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
          if (++this.depth > this.maxDepth) throw tooDeep(this.maxDepth);
        } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) this.depth--;
      }
    }
  }
}

/**
 * Checks a parsed JSON value (iteratively, so any depth is safe): no key __proto__, constructor or
 * prototype, no NUL character in a key or string (PostgreSQL cannot store U+0000 in text), and no nesting
 * beyond the limit. Throws the first problem with its JSON path. A clean value (the usual case) is walked
 * once without building paths; only a value with a problem is walked again to name where.
 */
export function checkJsonValue(root: unknown, maxDepth = MAX_JSON_DEPTH): void {
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop()!;
    if (typeof value === 'string') {
      if (unstorable(value)) return locateProblem(root);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth + 1 > maxDepth) throw tooDeep(maxDepth);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        values.push(value[i]);
        depths.push(depth + 1);
      }
      continue;
    }
    for (const key in value) {
      if (FORBIDDEN_KEYS.has(key) || unstorable(key)) return locateProblem(root);
      values.push((value as Record<string, unknown>)[key]);
      depths.push(depth + 1);
    }
  }
}

/** The slow walk of a value known to hold a forbidden key or a NUL: throws it with its path. */
function locateProblem(root: unknown): never {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (unstorable(value)) throw characterProblem(value, path);
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: `${path}[${index}]` }));
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (FORBIDDEN_KEYS.has(key)) throw forbiddenKey(childPath);
        if (unstorable(key)) throw characterProblem(key, childPath);
        stack.push({ value: (value as Record<string, unknown>)[key], path: childPath });
      }
    }
  }
  throw new Error('locateProblem: no problem found');
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

/**
 * Half of a UTF-16 surrogate pair, which JSON can spell ("\ud800") but UTF-8, and so PostgreSQL, cannot hold
 * (found by the fuzz suite: it failed as "invalid input syntax for type json" in the audit row).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A text PostgreSQL cannot store: it holds U+0000 or a lone surrogate. */
function unstorable(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

function characterProblem(text: string, path: string): AppError {
  return text.includes('\u0000') ? nulCharacter(path) : loneSurrogate(path);
}

/** A lone surrogate (\ud800-\udfff without its pair) in a text of the body. */
export function loneSurrogate(path: string): AppError {
  const where = path ? ` (in ${path})` : '';
  return new AppError(
    'INVALID_REQUEST',
    'REQUEST.INVALID_CHARACTER',
    `Tekst bevat een ongeldig teken (een half UTF-16-tekenpaar)${where}. Stuur de tekst als geldige UTF-8.`,
    path ? [{ code: 'REQUEST.INVALID_CHARACTER', path, message: 'Bevat een half UTF-16-tekenpaar.' }] : [],
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
