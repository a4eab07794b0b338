import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiProblem, getJson, onUnauthorized, postJson, request } from '../api/client';
import type { User } from '../api/types';

interface AuthState {
  /** undefined while the session is being checked; null when signed out. */
  user: User | null | undefined;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

/** The sign-in state: GET /auth/me on start, the httpOnly session cookie does the rest. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    getJson<{ user: User }>('/api/v1/auth/me').then(
      (body) => setUser(body.user),
      (error: unknown) => {
        if (error instanceof ApiProblem && error.status === 401) setUser(null);
        else setUser(null);
      },
    );
    return onUnauthorized(() => setUser(null));
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const { body } = await postJson<{ user: User }>('/api/v1/auth/login', { username, password });
    setUser(body.user);
  }, []);

  const signOut = useCallback(async () => {
    await request('POST', '/api/v1/auth/logout').catch(() => undefined);
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, signIn, signOut }), [user, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

export type Role = User['role'];

/** Where each role starts, and which views it may open. */
// ADMIN manages accounts, not data (the API refuses it the indicators): its start page is the experiment overview.
export const HOME: Record<Role, string> = { EVALUATOR: '/evaluatie', ADMIN: '/experiment', PRACTICE: '/praktijk', INSURER: '/verzekeraar' };
export const VIEW_ROLES: Record<'evaluator' | 'practice' | 'insurer' | 'overview', Role[]> = {
  evaluator: ['EVALUATOR'],
  practice: ['PRACTICE'],
  insurer: ['INSURER', 'EVALUATOR'],
  overview: ['ADMIN', 'EVALUATOR'],
};
