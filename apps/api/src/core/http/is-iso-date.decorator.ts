import { ValidateBy, ValidationOptions } from 'class-validator';
import { isIsoDate } from '@copd/domain';

/** A real calendar date written as YYYY-MM-DD (2025-02-29 is refused). */
export function IsIsoDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isIsoDate(value),
        defaultMessage: (args) => `${args?.property} moet een bestaande datum zijn in de vorm JJJJ-MM-DD`,
      },
    },
    options,
  );
}
