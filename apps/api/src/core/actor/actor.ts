/**
 * Who is acting, and which slice of the data they may touch. Every service method takes the actor and
 * every repository query goes through its scope, so narrowing to one practice or one insurer is a
 * property of the actor, not something each handler must remember.
 */
export type Role = 'ADMIN' | 'EVALUATOR' | 'PRACTICE' | 'INSURER' | 'SYSTEM' | 'ANONYMOUS';

/** The roles a signed-in user or an API token can have (SYSTEM and ANONYMOUS are never granted). */
export type UserRole = 'ADMIN' | 'EVALUATOR' | 'PRACTICE' | 'INSURER';
export const USER_ROLES: readonly UserRole[] = ['ADMIN', 'EVALUATOR', 'PRACTICE', 'INSURER'];

export interface DataScope {
  /** When set, only patients (and their records) of these practices. */
  practiceIds?: string[];
  /** When set, only patients insured by these insurers. */
  insurerIds?: string[];
}

/** How an HTTP actor proved who it is: a dashboard session or an organisation's API token. */
export interface Principal {
  kind: 'session' | 'api-token';
  /** The user (sessions) or the user who created the token (api-tokens, may be gone). */
  userId: string | null;
  sessionId?: string;
  tokenId?: string;
}

export interface Actor {
  id: string;
  role: Role;
  organisation?: string;
  /** Where the action came from: an IP address, 'cli', 'worker'. */
  source: string;
  scope: DataScope;
  principal?: Principal;
}

export const UNRESTRICTED: DataScope = Object.freeze({});

/** A scope that matches no patient at all: what an unauthenticated caller would get if it ever got this far. */
export const NOTHING: DataScope = Object.freeze({ practiceIds: [], insurerIds: [] });

/** The operator CLI and the worker act as named system actors (audited like any user). */
export function systemActor(name: string, source: string): Actor {
  return { id: name, role: 'SYSTEM', source, scope: UNRESTRICTED };
}

/** Whether the scope is narrowed to some practices or insurers (PRACTICE and INSURER actors). */
export function isRestricted(scope: DataScope): boolean {
  return scope.practiceIds !== undefined || scope.insurerIds !== undefined;
}

/** Whether an object of this practice and insurer lies inside the scope (for writes that name them by code). */
export function inScope(scope: DataScope, owner: { practiceId?: string; insurerId?: string }): boolean {
  if (scope.practiceIds && !(owner.practiceId && scope.practiceIds.includes(owner.practiceId))) return false;
  if (scope.insurerIds && !(owner.insurerId && scope.insurerIds.includes(owner.insurerId))) return false;
  return true;
}
