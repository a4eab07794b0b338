import { useCallback, useEffect, useRef, useState } from 'react';

/*
 * Nothing typed is lost when the sign-in session ends (issue 14 item 6). A form's values are kept as a draft in
 * sessionStorage while the user types, keyed by user, form and practice: a 401 anywhere on the page (a background
 * reload as much as the form's own submit) swaps the page for the sign-in form and unmounts the form, so saving only
 * on a refused submit would come too late. sessionStorage is the tab's own and ends with it; no patient data goes to
 * localStorage. A successful submit clears the form's draft; signing out clears them all (clearDrafts).
 */
const PREFIX = 'draft:';
const RETURN_KEY = 'session:return';
const EXPIRED_KEY = 'session:expired';

export function draftKey(user: string, form: string, practice: string): string {
  return `${PREFIX}${user}:${form}:${practice}`;
}

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    return null; // storage disabled: the form works, only without drafts
  }
}

export function readDraft<T extends object>(key: string): Partial<T> | null {
  const raw = storage()?.getItem(key);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Partial<T>) : null;
  } catch {
    return null;
  }
}

export function writeDraft(key: string, values: object): void {
  try {
    storage()?.setItem(key, JSON.stringify(values));
  } catch {
    // quota or privacy mode: keep going without a draft
  }
}

export function removeDraft(key: string): void {
  storage()?.removeItem(key);
}

export function hasDrafts(): boolean {
  const s = storage();
  if (!s) return false;
  for (let i = 0; i < s.length; i++) if (s.key(i)?.startsWith(PREFIX)) return true;
  return false;
}

/** On sign-out: every draft and the remembered return address go (the next user of this tab sees none). */
export function clearDrafts(): void {
  const s = storage();
  if (!s) return;
  const keys: string[] = [];
  for (let i = 0; i < s.length; i++) {
    const key = s.key(i);
    if (key && (key.startsWith(PREFIX) || key === RETURN_KEY || key === EXPIRED_KEY)) keys.push(key);
  }
  keys.forEach((key) => s.removeItem(key));
}

/** The session ended (a 401): remember where the user was, so signing in again returns there. */
export function rememberSessionEnd(returnUrl: string): void {
  storage()?.setItem(RETURN_KEY, returnUrl);
  storage()?.setItem(EXPIRED_KEY, '1');
}

/** Whether the sign-in page is shown because the session ended (not a first visit). */
export function sessionEnded(): boolean {
  return storage()?.getItem(EXPIRED_KEY) === '1';
}

/** After signing in again: where to go back to (a same-site path only), and forget it. */
export function takeReturnUrl(): string | null {
  const s = storage();
  const url = s?.getItem(RETURN_KEY) ?? null;
  s?.removeItem(RETURN_KEY);
  s?.removeItem(EXPIRED_KEY);
  return url && url.startsWith('/') && !url.startsWith('//') ? url : null;
}

/**
 * A form's values that survive the end of the session: starts from the draft if there is one (restored = true),
 * else from `initial`; every change is written to the draft; clear(next) after a successful submit (or when the user
 * discards the kept input) removes it and starts again from `next`, which is not itself a draft.
 */
export function useDraft<T extends Record<string, string>>(key: string | null, initial: T) {
  const [restored, setRestored] = useState(() => Boolean(key && readDraft<T>(key)));
  const [values, setValues] = useState<T>(() => {
    const draft = key ? readDraft<T>(key) : null;
    return draft ? { ...initial, ...pickStrings(draft, initial) } : initial;
  });
  // What counts as "nothing typed": the start values, or what the form was reset to after a submit.
  const baseline = useRef<T>(initial);
  useEffect(() => {
    if (!key) return;
    if (sameValues(values, baseline.current)) removeDraft(key);
    else writeDraft(key, values);
  }, [key, values]);
  const clear = useCallback(
    (next: T) => {
      if (key) removeDraft(key);
      baseline.current = next;
      setRestored(false);
      setValues(next);
    },
    [key],
  );
  return { values, setValues, restored, clear };
}

/** Only the form's own fields, and only text: a draft written by an older version of the form cannot break it. */
function pickStrings<T extends Record<string, string>>(draft: Partial<T>, shape: T): Partial<T> {
  const out: Record<string, string> = {};
  const source = draft as Record<string, unknown>;
  for (const k of Object.keys(shape)) {
    const value = source[k];
    if (typeof value === 'string') out[k] = value;
  }
  return out as Partial<T>;
}

function sameValues(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.keys(a).every((k) => a[k] === b[k]);
}
