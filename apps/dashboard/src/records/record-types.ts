/**
 * The shapes of the patient-record routes (issue 14: the patient list, one record and its history of corrections),
 * from the generated OpenAPI schema.
 */
import type { components } from '../api/schema';

type Schemas = components['schemas'];

export type PatientRecordRow = Schemas['PatientRecordRowDto'];
export type PatientRecordPage = Schemas['PatientRecordPageDto'];
export type NextDue = Schemas['NextDueDto'];
export type Problem = PatientRecordRow['problems'][number];
export type CareQuarterRow = Schemas['RecordCareQuarterDto'];
export type RecordWindow = Schemas['RecordWindowDto'];
export type PatientHistory = Schemas['PatientHistoryDto'];
export type HistoryItem = Schemas['HistoryItemDto'];

type TimelineDto = Schemas['TimelineEntryDto'];
type Base = Pick<TimelineDto, 'id' | 'date'>;
/**
 * One line of the timeline. The schema lists every kind's fields as optional; the API sends a session its
 * sessionKind, a measurement its instrument, value and window, an event its eventKind, which this union says.
 */
export type TimelineEntry =
  | (Base & { kind: 'SESSION'; sessionKind: NonNullable<TimelineDto['sessionKind']> })
  | (Base & { kind: 'MEASUREMENT'; instrument: NonNullable<TimelineDto['instrument']>; value: number; window: NonNullable<TimelineDto['window']> })
  | (Base & { kind: 'EVENT'; eventKind: NonNullable<TimelineDto['eventKind']> });

export type PatientRecord = Omit<Schemas['PatientRecordDto'], 'timeline'> & { timeline: TimelineEntry[] };
