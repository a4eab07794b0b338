import { ValidationError, ValidationPipe } from '@nestjs/common';
import type { Violation } from '@copd/domain';
import { invalidRequest } from '../errors/app-error';

/** Flattens class-validator's tree into violations with dotted paths ('bundle.intake'). */
export function toViolations(errors: ValidationError[], prefix = ''): Violation[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      code: `SHAPE.${constraint.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`,
      path,
      message,
    }));
    return [...own, ...toViolations(error.children ?? [], path)];
  });
}

/** Shape checks on every request DTO: unknown fields are rejected, every failure is reported at once. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      invalidRequest(toViolations(errors), 'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".'),
  });
}
