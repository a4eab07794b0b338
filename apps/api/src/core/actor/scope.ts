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

/**
 * The same scope over the organisation registers, for query builders (named parameters): a practice sees
 * itself and the insurers it has a contract with; an insurer sees itself and the practices it contracts.
 * Returns undefined for an unrestricted scope.
 */
export function organisationScope(
  scope: DataScope,
  table: 'practices' | 'insurers',
  alias: string,
): { sql: string; params: Record<string, string[]> } | undefined {
  const clauses: string[] = [];
  const params: Record<string, string[]> = {};
  if (scope.practiceIds) {
    params.scopePracticeIds = scope.practiceIds;
    clauses.push(
      table === 'practices'
        ? `${alias}.id = ANY(:scopePracticeIds)`
        : `EXISTS (SELECT 1 FROM contracts sc WHERE sc.insurer_id = ${alias}.id AND sc.practice_id = ANY(:scopePracticeIds))`,
    );
  }
  if (scope.insurerIds) {
    params.scopeInsurerIds = scope.insurerIds;
    clauses.push(
      table === 'insurers'
        ? `${alias}.id = ANY(:scopeInsurerIds)`
        : `EXISTS (SELECT 1 FROM contracts sc WHERE sc.practice_id = ${alias}.id AND sc.insurer_id = ANY(:scopeInsurerIds))`,
    );
  }
  return clauses.length > 0 ? { sql: clauses.join(' AND '), params } : undefined;
}
