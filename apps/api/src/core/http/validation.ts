import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
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

/**
 * Integers beyond 2^53 (a 20-digit `offset` or `goldStage`) pass @IsInt, but are no longer exact and no
 * PostgreSQL integer column holds them; they are refused wherever they appear in a body, query or path.
 */
export function unsafeIntegers(root: unknown): Violation[] {
  if (!hasUnsafeInteger(root)) return [];
  const violations: Violation[] = [];
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'number') {
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
        violations.push({ code: 'SHAPE.UNSAFE_INTEGER', path, message: `${path || 'waarde'} is te groot (hoogstens ${Number.MAX_SAFE_INTEGER})` });
      }
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) stack.push({ value: child, path: path ? `${path}.${key}` : key });
    }
  }
  return violations;
}

/** The fast walk, without paths: an exchange document has a million values, almost never a bad one. */
function hasUnsafeInteger(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'number') {
      if (Number.isInteger(value) && !Number.isSafeInteger(value)) return true;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push(value[i]);
    } else if (value !== null && typeof value === 'object') {
      for (const key in value) stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return false;
}

class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const result: unknown = await super.transform(value, metadata);
    const unsafe = unsafeIntegers(result);
    if (unsafe.length > 0) throw invalidRequest(unsafe, 'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".');
    return result;
  }
}

/** Shape checks on every request DTO: unknown fields are rejected, every failure is reported at once. */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      invalidRequest(toViolations(errors), 'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".'),
  });
}
