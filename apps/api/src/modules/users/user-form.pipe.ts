import { Injectable, PipeTransform, Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { Violation } from '@copd/domain';
import { invalidRequest } from '../../core/errors/app-error';
import { toViolations, unsafeIntegers } from '../../core/http/validation';

/** A form body with its shape failures, checked but not yet refused (issue 16: every field error at once). */
export interface CheckedForm<T> {
  value: T;
  /** The DTO's shape failures (SHAPE.* codes), to be reported with the business rules' in one answer. */
  shape: Violation[];
}

/**
 * The global validation pipe refuses a body at its first layer: a form with a too-short field and a role
 * without its organisation answered only the first. The account forms take their body through this pipe
 * instead (the parameter is typed as a plain object, so the global pipe leaves it alone): the same checks
 * (unknown fields, types, lengths, unsafe integers), collected, so the service adds its own rules and answers
 * all of them together. A body that is no object at all is refused here.
 */
@Injectable()
export class UserFormPipe<T extends object> implements PipeTransform<unknown, CheckedForm<T>> {
  constructor(private readonly type: Type<T>) {}

  transform(body: unknown): CheckedForm<T> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalidRequest([{ code: 'SHAPE.NOT_AN_OBJECT', path: '', message: 'Stuur de gegevens als één JSON-object.' }]);
    }
    const value = plainToInstance(this.type, body);
    const shape = [
      ...toViolations(validateSync(value, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: true, value: true } })),
      ...unsafeIntegers(body),
    ];
    return { value, shape };
  }
}

/** The fields whose shape failed: their values are not used by the business rules. */
export function failedFields(shape: Violation[]): Set<string> {
  return new Set(shape.map((v) => v.path.split(/[.[]/)[0]));
}
