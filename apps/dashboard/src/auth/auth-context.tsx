import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ApiProblem, getJson, onUnauthorized, postJson, request } from '../api/client';
import type { User } from '../api/types';
import { clearDrafts, rememberSessionEnd } from '../practice/drafts';

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
  // Whether someone was signed in when a 401 arrives: then the session ended (not a first visit), and the sign-in
  // page says so and returns to where the user was (issue 14 item 6).
  const signedIn = useRef(false);
  useEffect(() => {
    signedIn.current = Boolean(user);
  }, [user]);

  useEffect(() => {
    getJson<{ user: User }>('/api/v1/auth/me').then(
      (body) => setUser(body.user),
      (error: unknown) => {
        if (error instanceof ApiProblem && error.status === 401) setUser(null);
        else setUser(null);
      },
    );
    return onUnauthorized(() => {
      if (signedIn.current) rememberSessionEnd(`${window.location.pathname}${window.location.search}${window.location.hash}`);
      signedIn.current = false;
      setUser(null);
    });
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const { body } = await postJson<{ user: User }>('/api/v1/auth/login', { username, password });
    setUser(body.user);
  }, []);

  const signOut = useCallback(async () => {
    await request('POST', '/api/v1/auth/logout').catch(() => undefined);
    // Signing out on purpose: no typed patient data stays behind in this tab.
    clearDrafts();
    signedIn.current = false;
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
// ADMIN manages accounts, not data (the API refuses it indicators and contracts): its start page is the administration
// (issue 16), not the experiment overview, whose arms, insurers and policy rule it could only show as dashes.
export const HOME: Record<Role, string> = { EVALUATOR: '/evaluatie', ADMIN: '/beheer/gebruikers', PRACTICE: '/praktijk', INSURER: '/verzekeraar' };
export const VIEW_ROLES: Record<'evaluator' | 'practice' | 'insurer' | 'overview' | 'admin', Role[]> = {
  evaluator: ['EVALUATOR'],
  practice: ['PRACTICE'],
  insurer: ['INSURER', 'EVALUATOR'],
  overview: ['EVALUATOR'],
  admin: ['ADMIN'],
};
