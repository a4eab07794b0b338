import { ValidateIf, ValidationOptions } from 'class-validator';

/**
 * A field that may be left out of a change (PATCH) but not sent as null. class-validator's @IsOptional lets
 * null through as well, and a null for a required column reaches PostgreSQL as a NOT NULL violation; with
 * this the field's other checks (@IsString, @Length, ...) refuse null with a field error.
 */
export function MayBeOmitted(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined, options);
}
