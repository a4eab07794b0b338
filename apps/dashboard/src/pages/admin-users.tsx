import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson, Page } from '../api/client';
import type { components } from '../api/schema';
import { adminFormErrors, codeList, sendJson } from '../admin/admin-forms';
import { AdminFrame, Pager } from '../admin/admin-nav';
import { ErrorSummary } from '../practice/error-summary';
import { FormField } from '../practice/form-field';
import { Loading } from './status';

type Account = components['schemas']['AccountDto'];
type Role = Account['role'];
const ROLES: Role[] = ['PRACTICE', 'INSURER', 'EVALUATOR', 'ADMIN'];
const LIMIT = 50;
const CREATE_FIELDS = ['username', 'displayName', 'role', 'practices', 'insurer', 'password'];
const EDIT_FIELDS = ['displayName', 'role', 'practices', 'insurer'];

interface UserForm {
  username: string;
  displayName: string;
  role: Role;
  practices: string;
  insurer: string;
  password: string;
}
const EMPTY: UserForm = { username: '', displayName: '', role: 'PRACTICE', practices: '', insurer: '', password: '' };

/** The body the API gets: organisations only for the role that has them (the API names a wrong one as an error). */
function bodyOf(form: UserForm, withCredentials: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { displayName: form.displayName, role: form.role };
  const practices = codeList(form.practices);
  if (practices.length > 0 || form.role === 'PRACTICE') body.practices = practices;
  if (form.insurer.trim() !== '') body.insurer = form.insurer.trim();
  else if (!withCredentials) body.insurer = null;
  if (withCredentials) {
    body.username = form.username;
    if (form.password !== '') body.password = form.password;
  }
  return body;
}

function organisationOf(user: Account): string {
  if (user.role === 'PRACTICE') return user.practices.map((p) => `${p.name} (${p.agb})`).join(', ');
  if (user.role === 'INSURER' && user.insurer) return `${user.insurer.name} (${user.insurer.uzovi})`;
  return '';
}

/** /beheer/gebruikers: search, create, change, disable and reset the password of users (ADMIN). */
export function AdminUsersPage() {
  const { t } = useTranslation();
  const [query, setQuery] = useState({ q: '', role: '' as Role | '', offset: 0 });
  const [search, setSearch] = useState({ q: '', role: '' as Role | '' });
  const [list, setList] = useState<Page<Account> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<Account | null>(null);
  const [resetFor, setResetFor] = useState<Account | null>(null);

  const load = useCallback(() => {
    const params = new URLSearchParams({ limit: String(LIMIT), offset: String(query.offset) });
    if (query.q) params.set('q', query.q);
    if (query.role) params.set('role', query.role);
    setLoadError(null);
    getJson<Page<Account>>(`/api/v1/users?${params}`).then(setList, (e: Error) => setLoadError(e.message));
  }, [query]);
  useEffect(load, [load]);

  const toggleDisabled = async (user: Account) => {
    await sendJson('PATCH', `/api/v1/users/${user.id}`, { disabled: !user.disabled });
    setNotice(t(user.disabled ? 'admin.user.enabledDone' : 'admin.user.disabledDone', { username: user.username }));
    load();
  };

  return (
    <AdminFrame title={t('admin.user.title')} intro={t('admin.intro')}>
      {notice && (
        <p role="status" className="admin-notice" data-testid="admin-notice">
          {notice}
        </p>
      )}
      <form
        className="admin-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ ...search, offset: 0 });
        }}
      >
        <label>
          {t('admin.search')}
          <input type="search" value={search.q} onChange={(e) => setSearch({ ...search, q: e.target.value })} aria-describedby="user-search-hint" data-testid="user-search" />
        </label>
        <span id="user-search-hint" className="hint">
          {t('admin.user.searchHint')}
        </span>
        <label>
          {t('admin.user.roleFilter')}
          <select value={search.role} onChange={(e) => setSearch({ ...search, role: e.target.value as Role | '' })}>
            <option value="">{t('admin.user.allRoles')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`admin.user.roles.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('admin.searchButton')}</button>
      </form>
      {loadError && <p role="alert" className="form-alert">{t('app.loadError', { message: loadError })}</p>}
      {!list && !loadError && <Loading />}
      {list && (
        <>
          <p className="hint" aria-live="polite">
            {t('admin.total', { count: list.total })}
          </p>
          <div className="table-scroll admin-table" tabIndex={0} role="region" aria-labelledby="users-caption">
            <table data-testid="users">
              <caption id="users-caption">{t('admin.user.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.user.username')}</th>
                  <th scope="col">{t('admin.user.displayName')}</th>
                  <th scope="col">{t('admin.user.role')}</th>
                  <th scope="col">{t('admin.user.organisation')}</th>
                  <th scope="col">{t('admin.user.status')}</th>
                  <th scope="col">{t('admin.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((user) => (
                  <tr key={user.id} data-testid={`user-${user.username}`}>
                    <th scope="row">{user.username}</th>
                    <td>{user.displayName}</td>
                    <td>{t(`admin.user.roles.${user.role}`)}</td>
                    <td>{organisationOf(user) || t('admin.none')}</td>
                    <td>
                      {t(user.disabled ? 'admin.user.disabled' : 'admin.user.active')}
                      {!user.hasPassword && <span className="hint"> · {t('admin.user.noPassword')}</span>}
                    </td>
                    <td className="admin-actions">
                      <button type="button" className="secondary" onClick={() => setEditing(user)} aria-label={`${t('admin.edit')}: ${user.username}`}>
                        {t('admin.edit')}
                      </button>
                      <button type="button" className="secondary" onClick={() => setResetFor(user)} aria-label={`${t('admin.user.reset')}: ${user.username}`}>
                        {t('admin.user.reset')}
                      </button>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => void toggleDisabled(user)}
                        aria-label={`${t(user.disabled ? 'admin.user.enable' : 'admin.user.disable')}: ${user.username}`}
                      >
                        {t(user.disabled ? 'admin.user.enable' : 'admin.user.disable')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager offset={query.offset} limit={LIMIT} total={list.total} onChange={(offset) => setQuery({ ...query, offset })} />
        </>
      )}
      {editing && (
        <UserEditor
          key={editing.id}
          user={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) {
              setNotice(t('admin.saved'));
              load();
            }
          }}
        />
      )}
      <UserCreator
        onCreated={(user) => {
          setNotice(t('admin.user.created', { username: user.username }));
          load();
        }}
      />
      {resetFor && <PasswordResetDialog user={resetFor} onClose={() => setResetFor(null)} />}
    </AdminFrame>
  );
}

/** The fields of a user form; the username and password only when creating. */
function UserFields({
  form,
  setForm,
  errors,
  prefix,
  creating,
}: {
  form: UserForm;
  setForm(form: UserForm): void;
  errors: Record<string, string[]>;
  prefix: string;
  creating: boolean;
}) {
  const { t } = useTranslation();
  const set = (key: keyof UserForm) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  return (
    <div className="form-grid">
      {creating && (
        <FormField label={t('admin.user.username')} hint={t('admin.user.usernameHint')} errors={errors.username} id={`${prefix}-username`}>
          {(p) => <input {...p} value={form.username} onChange={set('username')} autoComplete="off" />}
        </FormField>
      )}
      <FormField label={t('admin.user.displayName')} errors={errors.displayName} id={`${prefix}-displayName`}>
        {(p) => <input {...p} value={form.displayName} onChange={set('displayName')} autoComplete="off" />}
      </FormField>
      <FormField label={t('admin.user.role')} errors={errors.role} id={`${prefix}-role`}>
        {(p) => (
          <select {...p} value={form.role} onChange={set('role')}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`admin.user.roles.${r}`)}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField label={t('admin.user.practices')} hint={t('admin.user.practicesHint')} errors={errors.practices} id={`${prefix}-practices`}>
        {(p) => <input {...p} value={form.practices} onChange={set('practices')} inputMode="numeric" autoComplete="off" />}
      </FormField>
      <FormField label={t('admin.user.insurer')} hint={t('admin.user.insurerHint')} errors={errors.insurer} id={`${prefix}-insurer`}>
        {(p) => <input {...p} value={form.insurer} onChange={set('insurer')} inputMode="numeric" autoComplete="off" />}
      </FormField>
      {creating && (
        <FormField label={t('admin.user.password')} hint={t('admin.user.passwordHint')} errors={errors.password} id={`${prefix}-password`}>
          {(p) => <input {...p} type="password" value={form.password} onChange={set('password')} autoComplete="new-password" />}
        </FormField>
      )}
    </div>
  );
}

function labelsOf(t: (key: string) => string, fields: string[]): Record<string, string> {
  const names: Record<string, string> = {
    username: t('admin.user.username'),
    displayName: t('admin.user.displayName'),
    role: t('admin.user.role'),
    practices: t('admin.user.practices'),
    insurer: t('admin.user.insurer'),
    password: t('admin.user.password'),
  };
  return Object.fromEntries(fields.map((f) => [f, names[f]]));
}

function UserCreator({ onCreated }: { onCreated(user: Account): void }) {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState<UserForm>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const errors = adminFormErrors(error, CREATE_FIELDS, i18n.language);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const user = await sendJson<Account>('POST', '/api/v1/users', bodyOf(form, true));
      setError(null);
      setForm(EMPTY);
      onCreated(user);
    } catch (problem) {
      setError(problem);
      setAttempt((a) => a + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="user-create-title" className="record-form">
      <h2 id="user-create-title">{t('admin.user.create')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="user-create">
        <ErrorSummary errors={errors} labels={labelsOf(t, CREATE_FIELDS)} idOf={(f) => `user-new-${f}`} attempt={attempt} />
        <UserFields form={form} setForm={setForm} errors={errors.fields} prefix="user-new" creating />
        <button type="submit" disabled={busy}>
          {t('admin.user.createSubmit')}
        </button>
      </form>
    </section>
  );
}

function UserEditor({ user, onDone }: { user: Account; onDone(saved: boolean): void }) {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState<UserForm>({
    ...EMPTY,
    displayName: user.displayName,
    role: user.role,
    practices: user.practices.map((p) => p.agb).join(', '),
    insurer: user.insurer?.uzovi ?? '',
  });
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    title.current?.scrollIntoView({ block: 'start' });
    title.current?.focus();
  }, []);
  const errors = adminFormErrors(error, EDIT_FIELDS, i18n.language);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await sendJson<Account>('PATCH', `/api/v1/users/${user.id}`, bodyOf(form, false));
      onDone(true);
    } catch (problem) {
      setError(problem);
      setAttempt((a) => a + 1);
    }
  };

  return (
    <section aria-labelledby="user-edit-title" className="record-form" data-testid="user-edit">
      <h2 id="user-edit-title" tabIndex={-1} ref={title}>
        {t('admin.user.editTitle', { username: user.username })}
      </h2>
      <p className="hint">{t('admin.user.editHint')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary errors={errors} labels={labelsOf(t, EDIT_FIELDS)} idOf={(f) => `user-edit-${f}`} attempt={attempt} testId="user-edit-errors" />
        <UserFields form={form} setForm={setForm} errors={errors.fields} prefix="user-edit" creating={false} />
        <div className="filter-actions">
          <button type="submit">{t('admin.save')}</button>
          <button type="button" className="secondary" onClick={() => onDone(false)}>
            {t('admin.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Asks first; then shows the one-time password once, in a modal dialog the administrator closes when passed on. */
function PasswordResetDialog({ user, onClose }: { user: Account; onClose(): void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [password, setPassword] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const reset = async () => {
    try {
      const answer = await sendJson<{ password: string }>('POST', `/api/v1/users/${user.id}/password-reset`);
      setPassword(answer.password);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <dialog ref={dialog} className="admin-dialog" aria-labelledby="reset-title" onClose={onClose} data-testid="reset-dialog">
      <h2 id="reset-title">{t('admin.user.resetTitle', { username: user.username })}</h2>
      {password === null ? (
        <>
          <p>{t('admin.user.resetConfirm', { username: user.username })}</p>
          {error && <p role="alert" className="form-alert">{error}</p>}
          <div className="filter-actions">
            <button type="button" onClick={() => void reset()} data-testid="reset-confirm">
              {t('admin.user.reset')}
            </button>
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
              {t('admin.cancel')}
            </button>
          </div>
        </>
      ) : (
        <>
          <p>{t('admin.user.resetShownOnce')}</p>
          <p className="one-time-secret">
            <code data-testid="one-time-password">{password}</code>
          </p>
          <div className="filter-actions">
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void navigator.clipboard?.writeText(password).then(
                  () => setCopied(true),
                  () => setCopied(false),
                )
              }
            >
              {t('admin.user.resetCopy')}
            </button>
            {copied && <span role="status">{t('admin.user.resetCopied')}</span>}
            <button type="button" onClick={() => dialog.current?.close()}>
              {t('admin.user.resetClose')}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
