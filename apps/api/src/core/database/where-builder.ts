import type { ComparisonFilters } from '@copd/domain';
import type { DataScope } from '../actor/actor';
import { scopeSql } from '../actor/scope';

/**
 * A WHERE clause built from optional filters with positional parameters ($1, $2, ...). Every repository that
 * narrows a list by optional filters builds it here, so the numbering of the parameters is written once.
 * The parameters array may already hold values (an experiment id as $1): new ones are appended after them.
 */
export class WhereBuilder {
  private readonly clauses: string[] = [];

  constructor(readonly params: unknown[] = []) {}

  /** A clause with one parameter: `sql` receives its placeholder ('$3'). */
  add(sql: (placeholder: string) => string, value: unknown): this {
    this.clauses.push(sql(this.param(value)));
    return this;
  }

  /** A clause with one parameter, only when `value` is neither undefined nor null. */
  addIf(value: unknown, sql: (placeholder: string) => string): this {
    return value === undefined || value === null ? this : this.add(sql, value);
  }

  /** A clause without parameters of its own (or whose parameters were taken with param()). */
  raw(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  /** Appends a value and returns its placeholder, for a clause or a LIMIT written by the caller. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** The actor's data scope over a table with practice_id and insurer_id columns (core/actor/scope.ts). */
  scope(scope: DataScope, alias: string): this {
    const clause = scopeSql(scope, alias, this.params);
    return clause === 'TRUE' ? this : this.raw(clause);
  }

  /** The clauses AND-ed; 'TRUE' when there are none, so callers can always write `WHERE ${sql}`. */
  toSql(): string {
    return this.clauses.length > 0 ? this.clauses.join(' AND ') : 'TRUE';
  }
}

/** The columns the population filter reads, per table it is applied to. */
export interface PopulationColumns {
  practice: string;
  insurer: string;
  region: string;
  goldStage: string;
  profile: string;
  intake: string;
}

/** Over patient_facts f (the comparison, the insights read models). */
export const FACTS_POPULATION: PopulationColumns = {
  practice: 'f.practice_id',
  insurer: 'f.insurer_id',
  region: 'f.region',
  goldStage: 'f.gold_stage',
  profile: 'f.profile',
  intake: 'f.intake_date',
};

/** Over patients p joined with practices pr (the worklist, the patient list). */
export const PATIENTS_POPULATION: PopulationColumns = {
  practice: 'p.practice_id',
  insurer: 'p.insurer_id',
  region: 'pr.region',
  goldStage: 'p.gold_stage',
  profile: 'p.profile',
  intake: 'p.intake_date',
};

/**
 * The population filters of DOMAIN.md section 6 (practice, insurer, region, GOLD stage, profile and the
 * intake window, inclusive at both ends), the one definition every read of the population applies.
 * Practice and insurer ids are applied whenever present, also when empty: a scope intersected to nothing
 * must match nothing, not everything. The other lists are applied only when they hold a value.
 */
export function populationWhere(where: WhereBuilder, filters: ComparisonFilters, c: PopulationColumns): WhereBuilder {
  where.addIf(filters.practiceIds, (n) => `${c.practice} = ANY(${n}::uuid[])`);
  where.addIf(filters.insurerIds, (n) => `${c.insurer} = ANY(${n}::uuid[])`);
  if (filters.regions?.length) where.add((n) => `${c.region} = ANY(${n}::text[])`, filters.regions);
  if (filters.goldStages?.length) where.add((n) => `${c.goldStage} = ANY(${n}::smallint[])`, filters.goldStages);
  if (filters.profiles?.length) where.add((n) => `${c.profile} = ANY(${n}::smallint[])`, filters.profiles);
  where.addIf(filters.intakeFrom || undefined, (n) => `${c.intake} >= ${n}::date`);
  where.addIf(filters.intakeTo || undefined, (n) => `${c.intake} <= ${n}::date`);
  return where;
}

/** patient_facts f of one experiment ($1), inside the actor's scope, narrowed by the population filters. */
export function factsWhere(experimentId: string, filters: ComparisonFilters, scope: DataScope): WhereBuilder {
  const where = new WhereBuilder([experimentId]).raw('f.experiment_id = $1').scope(scope, 'f');
  return populationWhere(where, filters, FACTS_POPULATION);
}
