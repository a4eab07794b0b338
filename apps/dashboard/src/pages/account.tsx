import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem, postJson, Violation } from '../api/client';
import { adminFormErrors } from '../admin/admin-forms';
import { useAuth } from '../auth/auth-context';
import { ErrorSummary } from '../practice/error-summary';
import { FormField } from '../practice/form-field';

const FIELDS = ['currentPassword', 'newPassword', 'repeat'] as const;
type Field = (typeof FIELDS)[number];

/**
 * /account: who is signed in, and the own password change (POST /auth/password) for every role. Empty fields and
 * the repetition are checked here, all at once; every other reason comes from the API, all at once (a wrong current
 * password with a weak new one).
 */
export function AccountPage() {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const [form, setForm] = useState<Record<Field, string>>({ currentPassword: '', newPassword: '', repeat: '' });
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const labels: Record<Field, string> = {
    currentPassword: t('account.current'),
    newPassword: t('account.newPassword'),
    repeat: t('account.repeat'),
  };
  const errors = adminFormErrors(error, [...FIELDS], i18n.language);
  if (!user) return null;

  /** The checks the page can make itself, as violations, so they stand beside the API's in one summary. */
  const own = (): Violation[] => {
    const found: Violation[] = FIELDS.filter((f) => form[f] === '').map((f) => ({
      code: 'CLIENT.REQUIRED',
      path: f,
      message: t('account.required', { field: labels[f] }),
    }));
    if (form.repeat !== '' && form.repeat !== form.newPassword) found.push({ code: 'CLIENT.MISMATCH', path: 'repeat', message: t('account.mismatch') });
    return found;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const mine = own();
    const refuse = (violations: Violation[], status = 422, code = 'CLIENT.INVALID', message = '') => {
      setError(new ApiProblem(status, code, message, violations));
      setAttempt((a) => a + 1);
    };
    // An empty field or a repetition that differs is answered here: sending it would change the password to one
    // the user may not have meant.
    if (mine.length > 0) return refuse(mine);
    setBusy(true);
    try {
      await postJson('/api/v1/auth/password', { currentPassword: form.currentPassword, newPassword: form.newPassword });
      setError(null);
      setForm({ currentPassword: '', newPassword: '', repeat: '' });
      setDone(true);
    } catch (problem) {
      if (problem instanceof ApiProblem) refuse(problem.errors, problem.status, problem.code, problem.message);
      else setError(problem);
    } finally {
      setBusy(false);
    }
  };

  const organisation =
    user.role === 'PRACTICE'
      ? user.practices.map((p) => `${p.name} (${p.agb})`).join(', ')
      : user.role === 'INSURER' && user.insurer
        ? `${user.insurer.name} (${user.insurer.uzovi})`
        : '';

  return (
    <div className="account-page">
      <h1>{t('account.title')}</h1>
      <dl className="facts" data-testid="account-facts">
        <dt>{t('account.username')}</dt>
        <dd>{user.username}</dd>
        <dt>{t('account.name')}</dt>
        <dd>{user.displayName}</dd>
        <dt>{t('account.role')}</dt>
        <dd>{t(`roles.${user.role}`)}</dd>
        {organisation && (
          <>
            <dt>{t('account.organisation')}</dt>
            <dd>{organisation}</dd>
          </>
        )}
      </dl>
      <section aria-labelledby="password-title" className="record-form">
        <h2 id="password-title">{t('account.changeTitle')}</h2>
        <p className="hint">{t('account.changeIntro')}</p>
        {done && (
          <p role="status" className="admin-notice" data-testid="password-changed">
            {t('account.done')}
          </p>
        )}
        <form onSubmit={(e) => void submit(e)} noValidate data-testid="password-form">
          <ErrorSummary errors={errors} labels={labels} idOf={(f) => `account-${f}`} attempt={attempt} />
          {/* The username helps a password manager store the new password for the right account. */}
          <input type="text" name="username" autoComplete="username" value={user.username} readOnly hidden />
          <div className="form-grid">
            {FIELDS.map((f) => (
              <FormField key={f} label={labels[f]} errors={errors.fields[f]} id={`account-${f}`}>
                {(p) => (
                  <input
                    {...p}
                    type="password"
                    value={form[f]}
                    onChange={(e) => setForm({ ...form, [f]: e.target.value })}
                    autoComplete={f === 'currentPassword' ? 'current-password' : 'new-password'}
                  />
                )}
              </FormField>
            ))}
          </div>
          <button type="submit" disabled={busy}>
            {busy ? t('account.busy') : t('account.submit')}
          </button>
        </form>
      </section>
    </div>
  );
}
