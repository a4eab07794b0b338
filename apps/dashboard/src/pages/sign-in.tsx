import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { ApiProblem } from '../api/client';
import { useAuth } from '../auth/auth-context';
import { hasDrafts, sessionEnded, takeReturnUrl } from '../practice/drafts';

export function SignInPage() {
  const { t } = useTranslation();
  const { signIn } = useAuth();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  // Read once: shown because the session ended (with or without kept input), or a first visit.
  const [expired] = useState(() => (sessionEnded() ? (hasDrafts() ? 'expired' : 'expiredNoDraft') : null));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(username, password);
      // Back to the page (and form) the user was on when the session ended; usually the address never changed.
      const back = takeReturnUrl();
      if (back && back !== `${location.pathname}${location.search}${location.hash}`) void navigate(back, { replace: true });
    } catch (e) {
      if (e instanceof ApiProblem && e.status === 401) setError(t('signIn.invalid'));
      else if (e instanceof ApiProblem && e.status === 429) setError(t('signIn.locked'));
      else setError(t('signIn.failed', { message: (e as Error).message }));
      setBusy(false);
    }
  }

  return (
    <form className="sign-in" onSubmit={submit} aria-labelledby="sign-in-title" data-testid="sign-in">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      {expired && (
        <p role="status" className="session-note" data-testid="session-expired">
          {t(`session.${expired}`)}
        </p>
      )}
      <p>{t('signIn.intro')}</p>
      {error && (
        <p role="alert" className="form-alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="username">{t('signIn.username')}</label>
        <input id="username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="password">{t('signIn.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </div>
      <button type="submit" disabled={busy}>
        {busy ? t('signIn.busy') : t('signIn.submit')}
      </button>
    </form>
  );
}
