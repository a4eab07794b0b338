import type { FieldChange } from '../../core/audit/correction-reason';
import { HistoryAction, HistoryChangeDto, HistoryEntity, HistoryItemDto } from './dto/patient-history.dto';

/** One audit row of a write to a patient or its records, as the history query reads it. */
export interface HistoryRow {
  at: Date;
  actor: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  detail: Record<string, unknown> | null;
  reason: string | null;
}

/** The audit actions the history shows, by what they did (DELETE of the patient itself never shows: it is gone). */
export const HISTORY_AUDIT_ACTIONS: Readonly<Record<string, HistoryAction>> = {
  'patient.create': 'CREATE',
  'patient.update': 'UPDATE',
  'patient.import': 'UPDATE',
  'session.create': 'CREATE',
  'session.update': 'UPDATE',
  'session.delete': 'DELETE',
  'measurement.create': 'CREATE',
  'measurement.correct': 'UPDATE',
  'measurement.update': 'UPDATE',
  'measurement.delete': 'DELETE',
  'event.create': 'CREATE',
  'event.update': 'UPDATE',
  'event.delete': 'DELETE',
};

/** The record fields an audit detail of a session, measurement or event holds, in the order the history lists them. */
const RECORD_FIELDS = ['date', 'kind', 'instrument', 'value'] as const;

export function toHistoryItem(row: HistoryRow): HistoryItemDto {
  const detail = row.detail ?? {};
  const action =
    row.action === 'patient.import' && detail.enrolment === 'created' ? 'CREATE' : HISTORY_AUDIT_ACTIONS[row.action] ?? 'UPDATE';
  return {
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action,
    entity: row.resourceType.toUpperCase() as HistoryEntity,
    entityId: row.resourceId ?? '',
    date: typeof detail.date === 'string' ? detail.date : null,
    reason: row.reason,
    changes: changesIn(row.action, action, detail).map(toChangeDto),
  };
}

/**
 * The changes as the correction stored them (detail.changes, since issue 14); for older rows rebuilt from what they
 * kept: a patient update's before/after, a measurement correction's oldValue/newValue, a record's own fields on
 * creation (from nothing) and deletion (to nothing).
 */
function changesIn(auditAction: string, action: HistoryAction, detail: Record<string, unknown>): FieldChange[] {
  if (Array.isArray(detail.changes)) return (detail.changes as FieldChange[]).map(({ field, from, to }) => ({ field, from, to }));
  if (auditAction === 'patient.update' && isObject(detail.before) && isObject(detail.after)) {
    const before = detail.before;
    const after = detail.after;
    return Object.keys(after)
      .filter((field) => (before[field] ?? null) !== (after[field] ?? null))
      .map((field) => ({ field, from: before[field] ?? null, to: after[field] ?? null }));
  }
  if (auditAction === 'measurement.correct') return [{ field: 'value', from: detail.oldValue ?? null, to: detail.newValue ?? null }];
  if (auditAction.startsWith('patient.')) return [];
  const present = RECORD_FIELDS.filter((field) => detail[field] !== undefined);
  if (action === 'CREATE') return present.map((field) => ({ field, from: null, to: detail[field] ?? null }));
  if (action === 'DELETE') return present.map((field) => ({ field, from: detail[field] ?? null, to: null }));
  return [];
}

/** Values of the history are texts (dates, kinds) or numbers; anything else is shown as text. */
function toChangeDto({ field, from, to }: FieldChange): HistoryChangeDto {
  return { field, from: valueOf(from), to: valueOf(to) };
}

function valueOf(value: unknown): string | number | null {
  return value === null || value === undefined ? null : typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
