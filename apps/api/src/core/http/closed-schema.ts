import { Type } from '@nestjs/common';
import { ApiPropertyOptions, ApiSchema, ApiSchemaOptions, getSchemaPath } from '@nestjs/swagger';

/**
 * Response DTOs whose mappers list every field (indicators.mapper.ts, patient.mapper.ts) promise closed objects: a
 * client may treat any other field as a fault, and response-schemas.int-spec.ts and patient-schema.int-spec.ts fail
 * when a body drifts from its schema. @nestjs/swagger copies the options of @ApiSchema into the schema object; its
 * type names only `name` and `description`.
 */
export function ClosedSchema(description?: string): ClassDecorator {
  return ApiSchema({ description, additionalProperties: false } as ApiSchemaOptions);
}

/**
 * An object of the given schema, or null. @nestjs/swagger writes `nullable` beside an `allOf` of the $ref, which
 * OpenAPI 3.0.3 does not read as "or null" (nullable only widens a `type` in the same schema object, and the
 * referenced object still refuses null); this alternative is null and nothing else. The class must be listed in
 * @ApiExtraModels of its route or be reachable from another property.
 */
export function nullableRef(type: Type<unknown>, description?: string): ApiPropertyOptions {
  return {
    description,
    oneOf: [{ $ref: getSchemaPath(type) }, { type: 'object', nullable: true, enum: [null] }],
  } as ApiPropertyOptions;
}
