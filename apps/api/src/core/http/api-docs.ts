import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';

export class ViolationDto {
  @ApiProperty({ example: 'ELIGIBILITY.GOLD_STAGE_TOO_LOW' }) code!: string;
  @ApiProperty({ example: 'goldStage' }) path!: string;
  @ApiProperty({ example: 'GOLD-stadium 1 komt niet in aanmerking; vereist is stadium 2 of hoger.' }) message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) params?: Record<string, unknown>;
}

/** RFC 9457 problem details, as every error of this API is returned (media type application/problem+json). */
export class ProblemDto {
  @ApiProperty({ example: 'urn:copd-tracker:problem:eligibility.invalid' }) type!: string;
  @ApiProperty({ example: 'Business rule violated' }) title!: string;
  @ApiProperty({ example: 422 }) status!: number;
  @ApiProperty({ example: 'De patiënt komt niet in aanmerking; zie "errors".' }) detail!: string;
  @ApiProperty({ example: '/api/v1/patients' }) instance!: string;
  @ApiProperty({ example: 'ELIGIBILITY.INVALID' }) code!: string;
  @ApiPropertyOptional({ type: [ViolationDto] }) errors?: ViolationDto[];
}

export function ApiProblems(): ClassDecorator & MethodDecorator {
  const problem = { content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } } };
  return applyDecorators(
    ApiExtraModels(ProblemDto, ViolationDto),
    ApiBadRequestResponse({ description: 'Malformed request (shape)', ...problem }),
    ApiNotFoundResponse({ description: 'No such object', ...problem }),
    ApiUnprocessableEntityResponse({ description: 'Business rule violated', ...problem }),
  );
}

/**
 * Documents a paged list response { items, total, limit, offset } of the given item type; with alternatives, each
 * item is one of them (a role-dependent view), which the description should explain.
 */
export function ApiPage(item: Type<unknown>, ...alternatives: Type<unknown>[]): MethodDecorator {
  const types = [item, ...alternatives];
  const refs = types.map((type) => ({ $ref: getSchemaPath(type) }));
  return applyDecorators(
    ApiExtraModels(...types),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['items', 'total', 'limit', 'offset'],
        properties: {
          items: { type: 'array', items: refs.length === 1 ? refs[0] : { oneOf: refs } },
          total: { type: 'integer' },
          limit: { type: 'integer' },
          offset: { type: 'integer' },
        },
      },
    }),
  );
}
