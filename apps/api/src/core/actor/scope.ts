import { DataScope } from './actor';

/**
 * SQL for a data scope over a patients table alias, with positional parameters appended to `params`.
 * Returns 'TRUE' for an unrestricted scope so callers can always AND it in.
 */
export function scopeSql(scope: DataScope, patientAlias: string, params: unknown[]): string {
  const clauses: string[] = [];
  if (scope.practiceIds) {
    params.push(scope.practiceIds);
    clauses.push(`${patientAlias}.practice_id = ANY($${params.length}::uuid[])`);
  }
  if (scope.insurerIds) {
    params.push(scope.insurerIds);
    clauses.push(`${patientAlias}.insurer_id = ANY($${params.length}::uuid[])`);
  }
  return clauses.length > 0 ? clauses.join(' AND ') : 'TRUE';
}
