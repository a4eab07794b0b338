import fc from 'fast-check';
import { RouteEntry } from '../../src/core/auth/route-table';
import { FUZZ_ROLES, FuzzRole, FuzzWorld } from './fuzz-world';
import { CONTENT_TYPES, HOSTILE_BODY_TEXTS, HOSTILE_PATH_VALUES, HOSTILE_QUERY_VALUES } from './hostile-values';
import { toJsonText } from './json-text';
import { memberActions, objectValue, OpenApiDocument, OpenApiOperation, OpenApiSchema, resolve, validValue } from './schema-arbitraries';

/** One generated request, as sent: printable, so a counterexample is a request anyone can replay. */
export interface FuzzRequest {
  role: FuzzRole;
  method: string;
  /** Path and query string, already %-encoded (hostile values may carry deliberately broken escapes). */
  url: string;
  contentType?: string;
  body?: string;
}

export interface FuzzTarget {
  /** "POST /api/v1/patients", as in the route table. */
  name: string;
  route: RouteEntry;
  arbitrary: fc.Arbitrary<FuzzRequest>;
}

/**
 * Every route of the application, in the order the suite runs them: reads, creates, updates (registers
 * last), sign-out, then deletes (children before parents), so a successful write or delete takes nothing
 * away from the routes before it. A route without parameters still gets unexpected query keys and bodies.
 */
export function fuzzedRoutes(routes: RouteEntry[]): RouteEntry[] {
  // Registers last among updates: renaming practice 11111111 or insurer 3311 early would starve the clinical routes.
  const patchOrder = ['patients', 'contracts', 'users', 'practices', 'insurers', 'experiments'];
  const deleteOrder = ['sessions', 'measurements', 'events', 'api-tokens', 'users', 'patients', 'contracts', 'practices', 'insurers', 'experiments'];
  const resource = (r: RouteEntry) => r.path.split('/').slice(-2)[0];
  const rank = (r: RouteEntry) => {
    if (r.method === 'GET') return 0;
    if (r.path.endsWith('/logout')) return 30;
    if (r.method === 'PATCH' || r.method === 'PUT') return 10 + Math.max(0, patchOrder.indexOf(resource(r)));
    if (r.method === 'DELETE') return 40 + Math.max(0, deleteOrder.indexOf(resource(r)));
    return 1;
  };
  return routes
    .map((r, index) => ({ r, index }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.index - b.index)
    .map(({ r }) => r);
}

export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function buildTarget(route: RouteEntry, doc: OpenApiDocument, world: FuzzWorld): FuzzTarget {
  const operation: OpenApiOperation = doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()] ?? {};
  const arbitrary = fc
    .record({
      role: roleArbitrary(route),
      path: pathArbitrary(route.path, world),
      query: queryArbitrary(operation, world),
      body: bodyArbitrary(route, operation, doc, world),
    })
    .map(({ role, path, query, body }): FuzzRequest => ({
      role,
      method: route.method,
      url: query ? `${path}?${query}` : path,
      ...body,
    }));
  return { name: `${route.method} ${route.path}`, route, arbitrary };
}

/** Mostly a role the route allows (each as often), sometimes anonymous or a role it refuses. */
function roleArbitrary(route: RouteEntry): fc.Arbitrary<FuzzRole> {
  const policy = route.policy;
  const allowed = !policy ? [] : policy.public ? FUZZ_ROLES : FUZZ_ROLES.filter((r) => r !== 'ANONYMOUS' && (policy.roles as readonly string[]).includes(r));
  const refused = FUZZ_ROLES.filter((r) => !allowed.includes(r));
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...(allowed.length > 0 ? allowed : FUZZ_ROLES)) },
    { weight: 1, arbitrary: fc.constantFrom(...(refused.length > 0 ? refused : FUZZ_ROLES)) },
  );
}

function pathArbitrary(path: string, world: FuzzWorld): fc.Arbitrary<string> {
  const segments = path.split('/');
  const parts = segments.map((segment, i) => {
    if (!segment.startsWith(':')) return fc.constant(segment);
    const name = segment.slice(1);
    const real = world.ids[segments[i - 1]] ?? world.values[name] ?? [];
    const valid = real.length > 0 ? fc.constantFrom(...real).map(encodeURIComponent) : fc.uuid();
    return fc.oneof(
      { weight: 10, arbitrary: valid },
      { weight: 1, arbitrary: fc.uuid() },
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PATH_VALUES) },
    );
  });
  return fc.tuple(...parts).map((p) => p.join('/'));
}

/**
 * The declared query parameters: each absent or valid, and (unless the whole query is valid) one or more of
 * them hostile, repeated (an array where a scalar is meant) or in bracket syntax; sometimes undeclared keys.
 */
function queryArbitrary(operation: OpenApiOperation, world: FuzzWorld): fc.Arbitrary<string> {
  const declared = (operation.parameters ?? []).filter((p) => p.in === 'query');
  const validOf = (name: string, schema: OpenApiSchema) =>
    validValue({ paths: {} }, name, schema.type === 'array' ? (schema.items ?? {}) : schema, world.values).map((v) => encodeURIComponent(String(v)));
  const members = declared.map((p) => {
    const key = encodeURIComponent(p.name);
    const schema = p.schema ?? { type: 'string' };
    const valid = validOf(p.name, schema);
    const hostile = fc.constantFrom(...HOSTILE_QUERY_VALUES);
    const good = fc.oneof(
      { weight: 3, arbitrary: fc.constant<string[]>([]) },
      { weight: 2, arbitrary: (schema.type === 'array' ? fc.array(valid, { minLength: 1, maxLength: 3 }) : valid.map((v) => [v])).map((vs) => vs.map((v) => `${key}=${v}`)) },
    );
    const bad = fc.oneof(
      { weight: 4, arbitrary: hostile.map((v) => [`${key}=${v}`]) },
      { weight: 1, arbitrary: fc.array(fc.oneof(valid, hostile), { minLength: 2, maxLength: 3 }).map((vs) => vs.map((v) => `${key}=${v}`)) },
      { weight: 1, arbitrary: fc.oneof(valid, hostile).map((v) => [`${key}[]=${v}`, `${key}[a]=${v}`]) },
    );
    return fc.tuple(good, bad);
  });
  const extra = fc.oneof(
    { weight: 8, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.constantFrom(['__proto__=1'], ['constructor[prototype][x]=1'], ['unknown=1'], ['%00=1'], ['=1'], ['a=%E0%A4%A']) },
  );
  return fc.tuple(fc.tuple(...members), memberActions(members.length), extra).map(([pairs, actions, more]) => {
    const params = pairs.flatMap(([good, bad], i) => (actions[i] === 1 ? bad : actions[i] === 2 ? [] : good));
    return [...params, ...(members.length === 0 || actions.some((a) => a !== 0) ? more : [])].join('&');
  });
}

type Body = { contentType?: string; body?: string };

/**
 * A route with a JSON body: mostly the schema's object with one or two fields fuzzed, sometimes a body that
 * is not such an object, or the right body under another Content-Type or charset. A route without one:
 * mostly nothing, sometimes a body it does not expect.
 */
function bodyArbitrary(route: RouteEntry, operation: OpenApiOperation, doc: OpenApiDocument, world: FuzzWorld): fc.Arbitrary<Body> {
  const declared = operation.requestBody?.content?.['application/json']?.schema;
  const hostileText = fc.constantFrom(...HOSTILE_BODY_TEXTS);
  const anyContentType = fc.constantFrom(...CONTENT_TYPES);
  if (UPLOAD_ROUTE.test(route.path)) return multipartArbitrary(hostileText, anyContentType);
  if (!declared) {
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant<Body>({}) },
      { weight: 1, arbitrary: fc.record({ contentType: anyContentType, body: hostileText }).map(dropUndefined) },
    );
  }
  const schema = resolve(doc, declared);
  const fuzzedJson = (schema.type === 'array'
    ? fc.array(objectValue(doc, schema.items ?? {}, world.values, 'fuzzed'), { minLength: 0, maxLength: 4 })
    : objectValue(doc, schema, world.values, 'fuzzed')
  ).map(toJsonText);
  return fc.oneof(
    { weight: 14, arbitrary: fuzzedJson.map((body): Body => ({ contentType: 'application/json', body })) },
    { weight: 2, arbitrary: fc.record({ contentType: anyContentType, body: fuzzedJson }).map(dropUndefined) },
    { weight: 2, arbitrary: hostileText.map((body): Body => ({ contentType: 'application/json', body })) },
  );
}

/** The CSV/FHIR upload routes (issue 15) take multipart/form-data, not JSON. */
const UPLOAD_ROUTE = /^\/api\/v1\/imports\/(dry-run|confirm)$/;
const BOUNDARY = 'fuzz-boundary-7MA4YWxkTrZu0gW';

/**
 * An upload: mostly a well-formed form whose fields and file are fuzzed (a valid small CSV, hostile text, a
 * broken mapping), sometimes a malformed multipart body (no boundary, another boundary, cut off, a part without
 * headers), and sometimes not multipart at all (JSON, or any other Content-Type).
 */
function multipartArbitrary(hostileText: fc.Arbitrary<string>, anyContentType: fc.Arbitrary<string | undefined>): fc.Arbitrary<Body> {
  const fieldValue = fc.oneof(fc.constantFrom('csv', 'fhir', 'sessions', 'patients', 'measurements', 'events', '{}', '{"practice":"12345678"}', 'a'.repeat(64)), hostileText);
  const file = fc.oneof(
    fc.constantFrom(
      'praktijk_agb;patientnummer;datum;soort\r\n12345678;P;12-02-2025;INDIVIDUAL\r\n',
      'practice_agb,patient_ref,date,instrument,value\r\n12345678,P,2025-02-10,CCQ,"1,6"\r\n',
      '{"resourceType":"Bundle","type":"collection","entry":[]}',
      '{"resourceType":"Patient","id":"x"}\n{"resourceType":"Encounter"}\n',
    ),
    hostileText,
  );
  const part = (name: string, value: string, fileName?: string) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${fileName === undefined ? '' : `; filename="${fileName}"`}\r\n\r\n${value}\r\n`;
  const form = fc
    .record({
      format: fc.option(fieldValue, { nil: undefined }),
      kind: fc.option(fieldValue, { nil: undefined }),
      mapping: fc.option(fieldValue, { nil: undefined }),
      digest: fc.option(fieldValue, { nil: undefined }),
      reason: fc.option(fieldValue, { nil: undefined }),
      files: fc.array(fc.tuple(file, fc.constantFrom('a.csv', 'b.ndjson', '../../etc/passwd', '')), { minLength: 0, maxLength: 2 }),
    })
    .map(({ files, ...fields }) =>
      [
        ...Object.entries(fields).flatMap(([name, value]) => (value === undefined ? [] : [part(name, value)])),
        ...files.map(([content, name]) => part('files', content, name)),
        `--${BOUNDARY}--\r\n`,
      ].join(''),
    );
  const multipart = `multipart/form-data; boundary=${BOUNDARY}`;
  return fc.oneof(
    { weight: 10, arbitrary: form.map((body): Body => ({ contentType: multipart, body })) },
    { weight: 1, arbitrary: form.map((body): Body => ({ contentType: 'multipart/form-data', body })) },
    { weight: 1, arbitrary: form.map((body): Body => ({ contentType: 'multipart/form-data; boundary=other', body })) },
    { weight: 1, arbitrary: form.map((body): Body => ({ contentType: multipart, body: body.slice(0, Math.floor(body.length / 2)) })) },
    { weight: 1, arbitrary: fc.constant<Body>({ contentType: multipart, body: `--${BOUNDARY}\r\n\r\nno headers\r\n--${BOUNDARY}--\r\n` }) },
    { weight: 2, arbitrary: hostileText.map((body): Body => ({ contentType: 'application/json', body })) },
    { weight: 1, arbitrary: fc.record({ contentType: anyContentType, body: hostileText }).map(dropUndefined) },
  );
}

function dropUndefined(body: Body): Body {
  return body.contentType === undefined ? { body: body.body } : body;
}
