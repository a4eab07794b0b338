/**
 * A JSON tree that can say what JSON.stringify cannot: an object key "__proto__" as an own member, a number
 * literal beyond double precision (20 digits), or raw text. The fuzzers build request bodies as these trees
 * and send their text, so a counterexample prints exactly the bytes that were sent.
 */
export type JsonTree = null | boolean | number | string | JsonTree[] | JsonObject | RawJson;

export class JsonObject {
  constructor(readonly entries: [string, JsonTree][]) {}
}

/** Text inserted as is: a 20-digit integer literal, or a fragment that is not JSON at all. */
export class RawJson {
  constructor(readonly text: string) {}
}

export function toJsonText(value: JsonTree): string {
  if (value instanceof RawJson) return value.text;
  if (value instanceof JsonObject) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  // NaN and Infinity have no JSON form; JSON.stringify writes null, as a client library would.
  return JSON.stringify(value);
}
