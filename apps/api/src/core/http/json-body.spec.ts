import { AppError } from '../errors/app-error';
import { checkJsonValue, JsonDepthScanner } from './json-body';
import { parseByteSize } from './streamed-json-body';

/** The code of the AppError that `work` throws, or 'ok'. */
function outcome(work: () => void): string {
  try {
    work();
    return 'ok';
  } catch (error) {
    return (error as AppError).code;
  }
}

describe('JsonDepthScanner', () => {
  it.each([
    ['[[[]]]', 3, 'ok'], // 3 levels, limit 3
    ['[[[[]]]]', 3, 'REQUEST.TOO_DEEP'], // 4 levels
    ['{"a":{"b":{"c":1}}}', 3, 'ok'], // 3 objects
    ['["[[[[[[", "]]"]', 1, 'ok'], // brackets inside strings do not count: 1 level
    ['["a\\"[[[[", 1]', 1, 'ok'], // an escaped quote does not end the string: still 1 level
    ['["a\\\\", [[]]]', 2, 'REQUEST.TOO_DEEP'], // "a\\" ends at its quote, so [[ ]] after it nests to 3
    ['[[],[],[],[]]', 2, 'ok'], // siblings close before the next opens: 2 levels
    ['["x","y\\\\","z",[[1]]]', 2, 'REQUEST.TOO_DEEP'], // several strings (one ending in an escaped backslash), then 3 levels
    ['["x","]]]]","z",[1]]', 2, 'ok'], // closing brackets inside a string do not lower the depth: 2 levels
  ])('should scan %s with limit %i as %s', (json, limit, expected) => {
    expect(outcome(() => new JsonDepthScanner(limit).scan(Buffer.from(json)))).toBe(expected);
  });

  it('should follow strings and depth across chunk boundaries when a body arrives in pieces', () => {
    const scanner = new JsonDepthScanner(2);
    // The string '[[[' spans the first two chunks and the array closes; the third chunk opens levels 1, 2 and 3.
    expect(outcome(() => scanner.scan(Buffer.from('["[[[')))).toBe('ok');
    expect(outcome(() => scanner.scan(Buffer.from('"]')))).toBe('ok');
    expect(outcome(() => scanner.scan(Buffer.from('[[[')))).toBe('REQUEST.TOO_DEEP');
  });
});

describe('JsonDepthScanner escapes across chunks', () => {
  it('should keep an escape that ends a chunk for the first byte of the next', () => {
    const scanner = new JsonDepthScanner(1);
    // '["a\\' then '"[[[["]': the quote after the backslash is escaped, so '[[[[' is inside the string: 1 level.
    expect(outcome(() => scanner.scan(Buffer.from('["a\\')))).toBe('ok');
    expect(outcome(() => scanner.scan(Buffer.from('"[[[["]')))).toBe('ok');
  });
});

describe('checkJsonValue', () => {
  it.each([
    ['{"a":[{"b":"x"}]}', 'ok'],
    ['{"a":[{"__proto__":{}}]}', 'REQUEST.FORBIDDEN_KEY'],
    ['{"constructor":1}', 'REQUEST.FORBIDDEN_KEY'],
    ['{"prototype":1}', 'REQUEST.FORBIDDEN_KEY'],
    ['{"a":"x\\u0000y"}', 'REQUEST.NUL_CHARACTER'],
    ['{"x\\u0000":1}', 'REQUEST.NUL_CHARACTER'],
    ['["proto", "__proto__"]', 'ok'], // a value, not a key
    ['{"experiment":"\\ud800"}', 'REQUEST.INVALID_CHARACTER'], // a high surrogate alone
    ['{"a":"x\\udc00y"}', 'REQUEST.INVALID_CHARACTER'], // a low surrogate alone
    ['{"\\ud800":1}', 'REQUEST.INVALID_CHARACTER'], // in a key
    ['{"a":"\\ud83d\\ude00"}', 'ok'], // a paired surrogate: U+1F600
  ])('should judge %s as %s', (json, expected) => {
    expect(outcome(() => checkJsonValue(JSON.parse(json)))).toBe(expected);
  });

  it('should refuse nesting past the limit without recursion when the value is 100,000 deep', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(outcome(() => checkJsonValue(deep))).toBe('REQUEST.TOO_DEEP');
  });
});

describe('parseByteSize', () => {
  it.each([
    ['50mb', 52_428_800], // 50 x 1024 x 1024
    ['1mb', 1_048_576],
    ['512kb', 524_288], // 512 x 1024
    ['1048576', 1_048_576],
    ['1.5MB', 1_572_864], // 1.5 x 1,048,576
  ])('should read %s as %i bytes', (size, bytes) => {
    expect(parseByteSize(size)).toBe(bytes);
  });
});
