import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { Violation } from '@copd/domain';
import { AppError } from '../errors/app-error';

/**
 * Every correction or deletion of a patient's records needs a reason (issue 14), which the audit log keeps with
 * who and when. The API enforces it, not only the form: 3 to 500 characters after trimming (a reason of "." or
 * a blank one says nothing; the audit column holds at most 500).
 */
export const REASON_MIN_LENGTH = 3;
export const REASON_MAX_LENGTH = 500;

export const REASON_REQUIRED = 'CORRECTION.REASON_REQUIRED';
export const REASON_TOO_LONG = 'CORRECTION.REASON_TOO_LONG';

/**
 * The reason of a correction, trimmed; a missing, blank, too short or non-text reason answers 400
 * CORRECTION.REASON_REQUIRED and a longer one CORRECTION.REASON_TOO_LONG, both at path 'reason'. Services call it
 * inside their transaction after finding the record in scope, so another practice's record still answers 404.
 */
export function correctionReason(raw: unknown): string {
  const violation = reasonViolation(raw);
  if (violation) {
    throw new AppError(
      'INVALID_REQUEST',
      violation.code,
      'Er is niets gewijzigd: een correctie of verwijdering heeft een reden nodig; zie "errors".',
      [violation],
    );
  }
  return (raw as string).trim();
}

/** The violation of a reason, or null when it is one; the shape check of the field (kept here, as its only place). */
export function reasonViolation(raw: unknown): Violation | null {
  const text = typeof raw === 'string' ? raw.trim() : '';
  const params = {
    value: typeof raw === 'string' ? shorten(raw) : raw === undefined || raw === null ? null : String(JSON.stringify(raw)).slice(0, 40),
    min: REASON_MIN_LENGTH,
    max: REASON_MAX_LENGTH,
    length: text.length,
  };
  if (text.length > REASON_MAX_LENGTH) {
    return {
      code: REASON_TOO_LONG,
      path: 'reason',
      message: `De reden is ${text.length} tekens lang; dat mag hoogstens ${REASON_MAX_LENGTH} zijn. Maak hem korter.`,
      params,
    };
  }
  if (text.length < REASON_MIN_LENGTH) {
    return {
      code: REASON_REQUIRED,
      path: 'reason',
      message: `Geef de reden van de correctie (${REASON_MIN_LENGTH} tot ${REASON_MAX_LENGTH} tekens), bijvoorbeeld 'verkeerde datum ingevoerd'.`,
      params,
    };
  }
  return null;
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The body of a deletion: only the reason (DELETE /sessions/:id, /measurements/:id, /events/:id, /patients/:id). */
export class ReasonDto {
  @ApiProperty({
    example: 'Dubbel ingevoerd',
    minLength: REASON_MIN_LENGTH,
    maxLength: REASON_MAX_LENGTH,
    description: 'Why the record is removed (3-500 characters after trimming); kept in the audit log with who and when',
  })
  // Checked by correctionReason() in the service, after the record is found in scope, with its own codes.
  @IsOptional()
  reason?: string;
}

/** A correction's body shares this field: required for every change (the enrolment's normal ending excepted). */
export class OptionalReasonDto {
  @ApiPropertyOptional({
    example: 'Verkeerde datum ingevoerd',
    minLength: REASON_MIN_LENGTH,
    maxLength: REASON_MAX_LENGTH,
    description: 'Why the record is corrected (3-500 characters after trimming); kept in the audit log',
  })
  @IsOptional()
  reason?: string;
}

/** One changed field of a correction, as the audit detail keeps it and the patient's history shows it. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** The fields whose value differs between before and after, in the order of `fields`. */
export function changesOf<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): FieldChange[] {
  return fields
    .filter((field) => (before[field] ?? null) !== (after[field] ?? null))
    .map((field) => ({ field, from: before[field] ?? null, to: after[field] ?? null }));
}

/** What a deletion took away: each field from its value to nothing. */
export function removalOf<T extends object>(before: T, fields: readonly (keyof T & string)[]): FieldChange[] {
  return fields.map((field) => ({ field, from: before[field] ?? null, to: null }));
}
