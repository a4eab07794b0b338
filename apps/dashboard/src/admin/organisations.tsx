import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getAll, getJson, Page } from '../api/client';
import type { components } from '../api/schema';
import { ErrorSummary } from '../practice/error-summary';
import { FormField } from '../practice/form-field';
import { Loading } from '../pages/status';
import { adminFormErrors, sendJson } from './admin-forms';
import { AdminFrame, Pager } from './admin-nav';

type Account = components['schemas']['AccountDto'];
type Practice = components['schemas']['PracticeDto'];
type Insurer = components['schemas']['InsurerDto'];
type Kind = 'practice' | 'insurer';
type Organisation = (Practice | Insurer) & { id: string; name: string };
const LIMIT = 50;

/** What differs between practices and insurers: the code, the extra field, the API path. */
const KINDS = {
  practice: { path: '/api/v1/practices', code: 'agb', fields: ['agb', 'name', 'region'] },
  insurer: { path: '/api/v1/insurers', code: 'uzovi', fields: ['uzovi', 'name'] },
} as const;

function codeOf(o: Organisation, kind: Kind): string {
  return kind === 'practice' ? (o as Practice).agb : (o as Insurer).uzovi;
}

/**
 * /beheer/praktijken and /beheer/verzekeraars: list with search, create and change (ADMIN). Next to each, how many
 * users it has: what an administrator manages. The arm and the contracts stay out: an administrator reads no
 * contracts (README, Access control), so the page shows only what it may see instead of a column of dashes.
 */
export function OrganisationsPage({ kind }: { kind: Kind }) {
  const { t } = useTranslation();
  const spec = KINDS[kind];
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState({ q: '', offset: 0 });
  const [list, setList] = useState<Page<Organisation> | null>(null);
  const [users, setUsers] = useState<Map<string, number>>(new Map());
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<Organisation | null>(null);

  const load = useCallback(() => {
    const params = new URLSearchParams({ limit: String(LIMIT), offset: String(query.offset) });
    if (query.q) params.set('q', query.q);
    setLoadError(null);
    Promise.all([getJson<Page<Organisation>>(`${spec.path}?${params}`), getAll<Account>('/api/v1/users')]).then(([page, accounts]) => {
      const counts = new Map<string, number>();
      for (const a of accounts) {
        const codes = kind === 'practice' ? a.practices.map((p) => p.agb) : a.insurer ? [a.insurer.uzovi] : [];
        for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      setUsers(counts);
      setList(page);
    }, (e: Error) => setLoadError(e.message));
  }, [query, spec.path, kind]);
  useEffect(load, [load]);

  const title = t(kind === 'practice' ? 'admin.organisation.practicesTitle' : 'admin.organisation.insurersTitle');
  return (
    <AdminFrame title={title} intro={kind === 'practice' ? t('admin.organisation.noArm') : undefined}>
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
          setQuery({ q: search.trim(), offset: 0 });
        }}
      >
        <label>
          {t('admin.search')}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} aria-describedby={`${kind}-search-hint`} />
        </label>
        <span id={`${kind}-search-hint`} className="hint">
          {t('admin.organisation.searchHint')}
        </span>
        <button type="submit">{t('admin.searchButton')}</button>
      </form>
      {loadError && <p role="alert" className="form-alert">{t('app.loadError', { message: loadError })}</p>}
      {!list && !loadError && <Loading />}
      {list && (
        <>
          <p className="hint" aria-live="polite">
            {t('admin.total', { count: list.total })}
          </p>
          <div className="table-scroll admin-table" tabIndex={0} role="region" aria-labelledby={`${kind}-caption`}>
            <table data-testid={`${kind}-list`}>
              <caption id={`${kind}-caption`}>
                {t(kind === 'practice' ? 'admin.organisation.practicesCaption' : 'admin.organisation.insurersCaption')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t(`admin.organisation.${spec.code}`)}</th>
                  <th scope="col">{t('admin.organisation.name')}</th>
                  {kind === 'practice' && <th scope="col">{t('admin.organisation.region')}</th>}
                  <th scope="col">{t('admin.organisation.users')}</th>
                  <th scope="col">{t('admin.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((o) => (
                  <tr key={o.id}>
                    <td>{codeOf(o, kind)}</td>
                    <th scope="row">{o.name}</th>
                    {kind === 'practice' && <td>{(o as Practice).region}</td>}
                    <td>{users.get(codeOf(o, kind)) ?? 0}</td>
                    <td>
                      <button type="button" className="secondary" onClick={() => setEditing(o)} aria-label={`${t('admin.edit')}: ${o.name}`}>
                        {t('admin.edit')}
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
        <OrganisationForm
          key={editing.id}
          kind={kind}
          current={editing}
          onDone={(saved) => {
            setEditing(null);
            if (saved) {
              setNotice(t('admin.saved'));
              load();
            }
          }}
        />
      )}
      <OrganisationForm
        kind={kind}
        onDone={(saved, name) => {
          if (saved) {
            setNotice(t('admin.organisation.created', { name }));
            load();
          }
        }}
      />
    </AdminFrame>
  );
}

function OrganisationForm({ kind, current, onDone }: { kind: Kind; current?: Organisation; onDone(saved: boolean, name?: string): void }) {
  const { t, i18n } = useTranslation();
  const spec = KINDS[kind];
  const initial = (): Record<string, string> =>
    Object.fromEntries(spec.fields.map((f) => [f, current ? String((current as unknown as Record<string, string>)[f] ?? '') : '']));
  const [form, setForm] = useState<Record<string, string>>(initial);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (current) {
      heading.current?.scrollIntoView({ block: 'start' });
      heading.current?.focus();
    }
  }, [current]);
  const errors = adminFormErrors(error, [...spec.fields], i18n.language);
  const prefix = `${kind}-${current ? 'edit' : 'new'}`;
  const labels = Object.fromEntries(spec.fields.map((f) => [f, t(`admin.organisation.${f}`)]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await sendJson(current ? 'PATCH' : 'POST', current ? `${spec.path}/${current.id}` : spec.path, form);
      setError(null);
      if (!current) setForm(initial());
      onDone(true, form.name);
    } catch (problem) {
      setError(problem);
      setAttempt((a) => a + 1);
    }
  };

  const title = current
    ? t('admin.organisation.editTitle', { name: current.name })
    : t(kind === 'practice' ? 'admin.organisation.createPractice' : 'admin.organisation.createInsurer');
  return (
    <section aria-labelledby={`${prefix}-title`} className="record-form" data-testid={`${prefix}-form`}>
      <h2 id={`${prefix}-title`} tabIndex={-1} ref={heading}>
        {title}
      </h2>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ErrorSummary errors={errors} labels={labels} idOf={(f) => `${prefix}-${f}`} attempt={attempt} testId={`${prefix}-errors`} />
        <div className="form-grid">
          {spec.fields.map((f) => (
            <FormField
              key={f}
              label={labels[f]}
              hint={f === 'agb' ? t('admin.organisation.agbHint') : f === 'uzovi' ? t('admin.organisation.uzoviHint') : undefined}
              errors={errors.fields[f]}
              id={`${prefix}-${f}`}
            >
              {(p) => (
                <input
                  {...p}
                  value={form[f]}
                  onChange={(e) => setForm({ ...form, [f]: e.target.value })}
                  inputMode={f === 'agb' || f === 'uzovi' ? 'numeric' : undefined}
                  autoComplete="off"
                />
              )}
            </FormField>
          ))}
        </div>
        <div className="filter-actions">
          <button type="submit">{current ? t('admin.save') : t('admin.organisation.createSubmit')}</button>
          {current && (
            <button type="button" className="secondary" onClick={() => onDone(false)}>
              {t('admin.cancel')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
