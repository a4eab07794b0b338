/**
 * Who is acting, and which slice of the data they may touch. Every service method takes the actor and
 * every repository query goes through its scope, so narrowing to one practice or one insurer is a
 * property of the actor, not something each handler must remember.
 */
export type Role = 'ADMIN' | 'EVALUATOR' | 'PRACTICE' | 'INSURER' | 'SYSTEM' | 'ANONYMOUS';

export interface DataScope {
  /** When set, only patients (and their records) of these practices. */
  practiceIds?: string[];
  /** When set, only patients insured by these insurers. */
  insurerIds?: string[];
}

export interface Actor {
  id: string;
  role: Role;
  organisation?: string;
  /** Where the action came from: an IP address, 'cli', 'worker'. */
  source: string;
  scope: DataScope;
}

export const UNRESTRICTED: DataScope = Object.freeze({});

/** The operator CLI and the worker act as named system actors (audited like any user). */
export function systemActor(name: string, source: string): Actor {
  return { id: name, role: 'SYSTEM', source, scope: UNRESTRICTED };
}
