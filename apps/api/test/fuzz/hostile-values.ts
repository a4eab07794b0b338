import fc from 'fast-check';
import { JsonObject, JsonTree, RawJson } from './json-text';

/**
 * Values a careless or malicious client sends, by where they go. Each list names the defect class it is
 * after (NUL bytes PostgreSQL refuses, dates JavaScript and PostgreSQL read differently, integers beyond
 * int4/int8 or double precision, prototype keys, parser limits), so a new class is one line here.
 */

/** Strings that break text columns, date parsers, LIKE patterns or the log. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '2025-01-01\u0000',
  '0000-01-01',
  '0001-01-01',
  '2025-02-30',
  '2025-02-29',
  '2024-02-29',
  '2025-13-01',
  '2025-00-10',
  '2025-W01',
  '2025-W01-1',
  '2025-001',
  '2025-1-1',
  '20250101',
  '2025-01-01T00:00:00Z',
  '2025-01-01T25:61:00Z',
  '9999-12-31',
  '+275760-09-13',
  '-000001-01-01',
  '12345678901234567890',
  '-1',
  '1e400',
  'NaN',
  'Infinity',
  '0x10',
  'null',
  'true',
  '%',
  '_',
  '\\',
  "' OR '1'='1",
  '"; DROP TABLE patients; --',
  '\ud800',
  '\uffff',
  '😷🫁',
  'ｃｏｐｄ',
  '\u202eevil',
  'x'.repeat(300),
  'x'.repeat(10_000),
  '__proto__',
  'constructor',
  'toString',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  '3311\u0000',
  '123456782',
  '000000000',
];

/** Numbers around every limit the schema has: int4, int8, 2^53, fractions, signs, exponent notation. */
export const HOSTILE_NUMBERS: readonly JsonTree[] = [
  0,
  -0,
  -1,
  0.5,
  1.5,
  2.25,
  -2147483648,
  2147483647,
  2147483648,
  4294967296,
  9007199254740991,
  9007199254740993,
  1e21,
  1e308,
  -1e308,
  5e-324,
  new RawJson('12345678901234567890'),
  new RawJson('-12345678901234567890'),
  new RawJson('1e400'),
  new RawJson('1.0'),
  new RawJson('1E2'),
  new RawJson('0.1e1'),
  new RawJson('99999999999999999999999999999999999999'),
];

/** Values of the wrong type for any field. */
export const WRONG_TYPES: readonly JsonTree[] = [
  null,
  true,
  false,
  [],
  ['2025-01-01'],
  [1, 2],
  new JsonObject([]),
  new JsonObject([['$ne', null]]),
  new JsonObject([['__proto__', new JsonObject([['isAdmin', true]])]]),
  '3',
  '',
];

/** Keys no DTO declares; the prototype ones must neither pollute nor crash. */
export const EXTRA_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'id', 'createdAt', 'extra', '', 'a\u0000b', 'x'.repeat(500)];

export function hostileJsonValue(): fc.Arbitrary<JsonTree> {
  return fc.oneof(
    // null gets its own weight: an optional field (@IsOptional) lets null through to the service.
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 4, arbitrary: fc.constantFrom<JsonTree>(...HOSTILE_STRINGS) },
    { weight: 3, arbitrary: fc.constantFrom<JsonTree>(...HOSTILE_NUMBERS) },
    { weight: 2, arbitrary: fc.constantFrom<JsonTree>(...WRONG_TYPES) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()) },
  );
}

/** A value nested `depth` levels deep, as text (JSON.parse copes; recursive validators may not). */
export function deeplyNested(depth: number, kind: 'array' | 'object'): RawJson {
  return kind === 'array' ? new RawJson('['.repeat(depth) + ']'.repeat(depth)) : new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

/** Whole bodies that are not the JSON object a write expects. */
export const HOSTILE_BODY_TEXTS: readonly string[] = [
  '',
  'null',
  'true',
  '0',
  '"x"',
  '[]',
  '[{}]',
  '{',
  '{"a":1,}',
  "{'a':1}",
  'not json',
  '<?xml version="1.0"?><a/>',
  'a=1&b=2',
  '\u0000',
  '{"a":"\\u0000"}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '\ufeff{}',
  '{"a":1}{"b":2}',
  '['.repeat(2000) + ']'.repeat(2000),
  '{"a":'.repeat(2000) + '1' + '}'.repeat(2000),
];

/** Content-Type headers a write may be sent with; only the first is what the API reads. */
export const CONTENT_TYPES: readonly (string | undefined)[] = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'application/merge-patch+json',
  'application/problem+json',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'application/json, text/plain',
  undefined,
];

/** Path segment values other than a real id: the router decodes %-escapes before the handler sees them. */
export const HOSTILE_PATH_VALUES: readonly string[] = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  '6F9619FF-8B86-D011-B42D-00C04FC964FF',
  '6f9619ff8b86d011b42d00c04fc964ff',
  '{6f9619ff-8b86-d011-b42d-00c04fc964ff}',
  '1',
  '-1',
  '12345678901234567890',
  '0x1',
  'null',
  'undefined',
  '%00',
  '%2e%2e',
  '%E0%A4%A',
  '%',
  'a%00b',
  '%F0%9F%98%B7',
  'x'.repeat(2000),
  'COPD-2025',
  '11111111',
  '3311',
  '__proto__',
];

/** Query parameter values other than a valid one. */
export const HOSTILE_QUERY_VALUES: readonly string[] = [
  '',
  '%00',
  'a%00b',
  '%E0%A4%A',
  '12345678901234567890',
  '-12345678901234567890',
  '-1',
  '0',
  '1.5',
  '1e3',
  '1e400',
  'Infinity',
  'NaN',
  '0x10',
  '0000-01-01',
  '2025-02-30',
  '2025-W01',
  '2025-13-01',
  '2025-01-01T00:00:00Z',
  '2025-01-01T99:00:00Z',
  '+275760-09-13',
  'true',
  'null',
  '%25',
  '_',
  '%5C',
  '%27%20OR%201%3D1--',
  'x'.repeat(3000),
];
