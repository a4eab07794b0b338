import { ApiProperty } from '@nestjs/swagger';
import { ClosedSchema } from '../../../core/http/closed-schema';

export const HISTORY_ACTIONS = ['CREATE', 'UPDATE', 'DELETE'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];
export const HISTORY_ENTITIES = ['PATIENT', 'SESSION', 'MEASUREMENT', 'EVENT'] as const;
export type HistoryEntity = (typeof HISTORY_ENTITIES)[number];

// A text, a number or null (OpenAPI 3.0.3 reads `nullable` only beside a `type`, so null is its own alternative).
const VALUE = { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'object', nullable: true, enum: [null] }] };

@ClosedSchema('One changed field: its value before and after (null for none); a new BSN by name only')
export class HistoryChangeDto {
  @ApiProperty({ example: 'value' }) field!: string;
  @ApiProperty({ ...VALUE, example: 18 }) from!: string | number | null;
  @ApiProperty({ ...VALUE, example: 21 }) to!: string | number | null;
}

@ClosedSchema('One write to the patient or one of its records, as the audit log keeps it')
export class HistoryItemDto {
  @ApiProperty({ example: '2026-12-01T19:45:00.000Z' }) at!: string;
  @ApiProperty({ example: 'Fysio De Brug (M. Jansen)', description: 'Display name of the user (or the actor id of a token or the CLI)' })
  actor!: string;
  @ApiProperty({ enum: HISTORY_ACTIONS }) action!: HistoryAction;
  @ApiProperty({ enum: HISTORY_ENTITIES }) entity!: HistoryEntity;
  @ApiProperty() entityId!: string;
  @ApiProperty({ example: '2025-02-12', nullable: true, type: String, description: "The record's date, for orientation" })
  date!: string | null;
  @ApiProperty({ example: 'Verkeerde waarde overgenomen', nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ type: [HistoryChangeDto] }) changes!: HistoryChangeDto[];
}

@ClosedSchema("The patient's history: every creation, correction and deletion of the enrolment and its records, newest first")
export class PatientHistoryDto {
  @ApiProperty({ type: [HistoryItemDto] }) items!: HistoryItemDto[];
}
