import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getJson, Page } from '../api/client';
import type { components } from '../api/schema';
import { adminFormErrors, formatTimestamp, lastValidDay, sendJson } from '../admin/admin-forms';
import { AdminFrame, Pager } from '../admin/admin-nav';
import { ErrorSummary } from '../practice/error-summary';
import { FormField } from '../practice/form-field';
import { Loading } from './status';

type Token = components['schemas']['ApiTokenDto'];
type CreatedToken = components['schemas']['CreatedApiTokenDto'];
const LIMIT = 50;
const FIELDS = ['name', 'practice', 'insurer', 'expiresOn'];

function statusOf(token: Token): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

/** /beheer/tokens: the API tokens of practice and insurer systems: list, create with an expiry, revoke (ADMIN). */
export function AdminTokensPage() {
  const { t, i18n } = useTranslation();
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<Page<Token> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const lang = i18n.language;

  const load = useCallback(() => {
    setLoadError(null);
    getJson<Page<Token>>(`/api/v1/api-tokens?limit=${LIMIT}&offset=${offset}`).then(setList, (e: Error) => setLoadError(e.message));
  }, [offset]);
  useEffect(load, [load]);

  return (
    <AdminFrame title={t('admin.token.title')} intro={t('admin.token.intro')}>
      {notice && (
        <p role="status" className="admin-notice" data-testid="admin-notice">
          {notice}
        </p>
      )}
      {created && (
        <div className="one-time-secret-box" role="status" data-testid="created-token">
          <h2>{t('admin.token.createdTitle', { name: created.name })}</h2>
          <p>{t('admin.token.shownOnce')}</p>
          <p className="one-time-secret">
            <code>{created.token}</code>
          </p>
          <button type="button" className="secondary" onClick={() => setCreated(null)}>
            {t('admin.user.resetClose')}
          </button>
        </div>
      )}
      {loadError && <p role="alert" className="form-alert">{t('app.loadError', { message: loadError })}</p>}
      {!list && !loadError && <Loading />}
      {list && (
        <>
          <div className="table-scroll admin-table" tabIndex={0} role="region" aria-labelledby="tokens-caption">
            <table data-testid="tokens">
              <caption id="tokens-caption">{t('admin.token.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.token.name')}</th>
                  <th scope="col">{t('admin.token.organisation')}</th>
                  <th scope="col">{t('admin.token.prefix')}</th>
                  <th scope="col">{t('admin.token.createdAt')}</th>
                  <th scope="col">{t('admin.token.expiresOn')}</th>
                  <th scope="col">{t('admin.token.lastUsed')}</th>
                  <th scope="col">{t('admin.token.status')}</th>
                  <th scope="col">{t('admin.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((token) => {
                  const status = statusOf(token);
                  return (
                    <tr key={token.id} data-testid="token-row">
                      <th scope="row">{token.name}</th>
                      <td>
                        {token.practice ? `${t('admin.token.practice')} ${token.practice}` : `${t('admin.token.insurer')} ${token.insurer ?? ''}`}
                      </td>
                      <td>
                        <code>{token.prefix}</code>
                      </td>
                      <td>{formatTimestamp(token.createdAt, lang)}</td>
                      <td>{token.expiresAt ? lastValidDay(token.expiresAt, lang) : t('admin.never')}</td>
                      <td>{token.lastUsedAt ? formatTimestamp(token.lastUsedAt, lang) : t('admin.never')}</td>
                      <td>{t(`admin.token.${status}`)}</td>
                      <td>
                        {status !== 'revoked' && (
                          <button type="button" className="secondary" onClick={() => setRevoking(token)} aria-label={`${t('admin.token.revoke')}: ${token.name}`}>
                            {t('admin.token.revoke')}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager offset={offset} limit={LIMIT} total={list.total} onChange={setOffset} />
        </>
      )}
      <TokenCreator
        onCreated={(token) => {
          setNotice(null);
          setCreated(token);
          load();
        }}
      />
      {revoking && (
        <RevokeDialog
          token={revoking}
          onClose={(done) => {
            setRevoking(null);
            if (done) {
              setNotice(t('admin.token.revokedDone', { name: revoking.name }));
              load();
            }
          }}
        />
      )}
    </AdminFrame>
  );
}

function TokenCreator({ onCreated }: { onCreated(token: CreatedToken): void }) {
  const { t, i18n } = useTranslation();
  const [form, setForm] = useState({ name: '', kind: 'practice' as 'practice' | 'insurer', code: '', expiresOn: '' });
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const errors = adminFormErrors(error, FIELDS, i18n.language);
  const codeField = form.kind;
  const labels = {
    name: t('admin.token.name'),
    [codeField]: t(`admin.token.${codeField}`),
    expiresOn: t('admin.token.expiresOn'),
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = { name: form.name, [form.kind]: form.code.trim() };
    if (form.expiresOn) body.expiresOn = form.expiresOn;
    try {
      const token = await sendJson<CreatedToken>('POST', '/api/v1/api-tokens', body);
      setError(null);
      setForm({ name: '', kind: form.kind, code: '', expiresOn: '' });
      onCreated(token);
    } catch (problem) {
      setError(problem);
      setAttempt((a) => a + 1);
    }
  };

  return (
    <section aria-labelledby="token-create-title" className="record-form">
      <h2 id="token-create-title">{t('admin.token.create')}</h2>
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="token-create">
        <ErrorSummary errors={errors} labels={labels} idOf={(f) => (f === codeField ? 'token-code' : `token-${f}`)} attempt={attempt} />
        <div className="form-grid">
          <FormField label={t('admin.token.name')} hint={t('admin.token.nameHint')} errors={errors.fields.name} id="token-name">
            {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} autoComplete="off" />}
          </FormField>
          <fieldset className="admin-kind">
            <legend>{t('admin.token.kind')}</legend>
            {(['practice', 'insurer'] as const).map((kind) => (
              <label key={kind} className="inline">
                <input type="radio" name="token-kind" value={kind} checked={form.kind === kind} onChange={() => setForm({ ...form, kind })} />
                {t(kind === 'practice' ? 'admin.token.kindPractice' : 'admin.token.kindInsurer')}
              </label>
            ))}
          </fieldset>
          <FormField label={t(`admin.token.${codeField}`)} errors={errors.fields[codeField]} id="token-code">
            {(p) => <input {...p} value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} inputMode="numeric" autoComplete="off" />}
          </FormField>
          <FormField label={t('admin.token.expiresOn')} hint={t('admin.token.expiresHint')} errors={errors.fields.expiresOn} id="token-expiresOn">
            {(p) => <input {...p} type="date" value={form.expiresOn} onChange={(e) => setForm({ ...form, expiresOn: e.target.value })} />}
          </FormField>
        </div>
        <button type="submit">{t('admin.token.createSubmit')}</button>
      </form>
    </section>
  );
}

function RevokeDialog({ token, onClose }: { token: Token; onClose(done: boolean): void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const done = useRef(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const revoke = async () => {
    try {
      await sendJson('DELETE', `/api/v1/api-tokens/${token.id}`);
      done.current = true;
      dialog.current?.close();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <dialog ref={dialog} className="admin-dialog" aria-labelledby="revoke-title" onClose={() => onClose(done.current)} data-testid="revoke-dialog">
      <h2 id="revoke-title">{t('admin.token.revoke')}</h2>
      <p>{t('admin.token.revokeConfirm', { name: token.name })}</p>
      {error && <p role="alert" className="form-alert">{error}</p>}
      <div className="filter-actions">
        <button type="button" onClick={() => void revoke()} data-testid="revoke-confirm">
          {t('admin.token.revoke')}
        </button>
        <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
          {t('admin.cancel')}
        </button>
      </div>
    </dialog>
  );
}
