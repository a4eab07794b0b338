import type { UserRole } from '../../core/actor/actor';

/** A user with the organisations it is bound to, as read (never with its password hash). */
export interface AccountRow {
  id: string;
  username: string;
  displayName: string;
  role: UserRole;
  insurerId: string | null;
  uzovi: string | null;
  insurerName: string | null;
  practices: { id: string; agb: string; name: string }[];
  hasPassword: boolean;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A live session joined to its user: everything the guard needs to build the actor, in one query. */
export interface SessionRow extends AccountRow {
  sessionId: string;
  lastSeenAt: Date;
}

export interface UserColumns {
  username: string;
  displayName: string;
  role: UserRole;
  insurerId: string | null;
  passwordHash: string | null;
  disabledAt: Date | null;
}
