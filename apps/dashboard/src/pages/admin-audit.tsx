import { FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { getJson, Page } from '../api/client';
import type { components } from '../api/schema';
import { adminFormErrors, formatTimestamp } from '../admin/admin-forms';
import { AdminFrame, Pager } from '../admin/admin-nav';
import { ErrorSummary } from '../practice/error-summary';
import { FormField } from '../practice/form-field';
import { Loading } from './status';

type Entry = components['schemas']['AuditEntryDto'];
const LIMIT = 50;
const FILTERS = ['user', 'patient', 'action', 'outcome', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];
const OUTCOMES = ['SUCCESS', 'FAILURE', 'DENIED', 'NOT_FOUND'] as const;
const PATIENTS_SHOWN = 3;

/** The day after an ISO date: the period's "up to and including" day becomes the API's exclusive `to`. */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The API's query of the page's filters (the address holds them, so a search can be shared and reloaded). */
function apiQuery(filters: Record<Filter, string>): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = filters[name].trim();
    if (value) params.set(name, name === 'to' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? nextDay(value) : value);
  }
  return params;
}

/**
 * /beheer/auditlog: search the audit log by user, patient pseudonym, action, outcome and period, and export the
 * search as CSV (EVALUATOR and ADMIN; the API redacts clinical details and correction reasons for an administrator).
 */
export function AdminAuditPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<Filter, string>, [params]);
  const offset = Number(params.get('offset') ?? 0) || 0;
  const [form, setForm] = useState(applied);
  const [page, setPage] = useState<Page<Entry> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const lang = i18n.language;

  useEffect(() => setForm(applied), [applied]);
  useEffect(() => {
    const query = apiQuery(applied);
    query.set('limit', String(LIMIT));
    query.set('offset', String(offset));
    setBusy(true);
    getJson<Page<Entry>>(`/api/v1/audit-log?${query}`).then(
      (p) => {
        setPage(p);
        setError(null);
        setBusy(false);
      },
      (e: unknown) => {
        setError(e);
        setAttempt((a) => a + 1);
        setBusy(false);
      },
    );
  }, [applied, offset]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const f of FILTERS) if (form[f].trim()) next.set(f, form[f].trim());
    setParams(next);
  };
  const errors = adminFormErrors(error, [...FILTERS], lang);
  const labels = Object.fromEntries(FILTERS.map((f) => [f, t(`admin.auditLog.${f}`)]));
  const exportHref = `/api/v1/audit-log/export?${apiQuery(applied)}`;

  return (
    <AdminFrame title={t('admin.auditLog.title')} intro={t('admin.auditLog.intro')}>
      <form className="filters" onSubmit={submit} noValidate aria-labelledby="audit-filters-title" data-testid="audit-filters">
        <h2 id="audit-filters-title">{t('admin.auditLog.filters')}</h2>
        <ErrorSummary errors={errors} labels={labels} idOf={(f) => `audit-${f}`} attempt={attempt} />
        <div className="form-grid">
          <FormField label={labels.user} hint={t('admin.auditLog.userHint')} errors={errors.fields.user} id="audit-user">
            {(p) => <input {...p} value={form.user} onChange={(e) => setForm({ ...form, user: e.target.value })} autoComplete="off" />}
          </FormField>
          <FormField label={labels.patient} errors={errors.fields.patient} id="audit-patient">
            {(p) => <input {...p} value={form.patient} onChange={(e) => setForm({ ...form, patient: e.target.value })} autoComplete="off" />}
          </FormField>
          <FormField label={labels.action} hint={t('admin.auditLog.actionHint')} errors={errors.fields.action} id="audit-action">
            {(p) => <input {...p} value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })} autoComplete="off" />}
          </FormField>
          <FormField label={labels.outcome} errors={errors.fields.outcome} id="audit-outcome">
            {(p) => (
              <select {...p} value={form.outcome} onChange={(e) => setForm({ ...form, outcome: e.target.value })}>
                <option value="">{t('admin.auditLog.anyOutcome')}</option>
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(`admin.auditLog.outcomes.${o}`)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField label={labels.from} errors={errors.fields.from} id="audit-from">
            {(p) => <input {...p} type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />}
          </FormField>
          <FormField label={labels.to} errors={errors.fields.to} id="audit-to">
            {(p) => <input {...p} type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />}
          </FormField>
        </div>
        <div className="filter-actions">
          <button type="submit">{t('admin.auditLog.submit')}</button>
          <button type="button" className="secondary" onClick={() => setParams(new URLSearchParams())}>
            {t('admin.auditLog.clear')}
          </button>
          <a href={exportHref} download="auditlog.csv" data-testid="audit-export">
            {t('admin.auditLog.export')}
          </a>
        </div>
      </form>
      {!page && !error && <Loading />}
      {page && (
        <div aria-busy={busy} className={busy ? 'admin-stale' : undefined}>
          <p className="hint" aria-live="polite" data-testid="audit-total">
            {t('admin.total', { count: page.total })}
          </p>
          {page.items.length === 0 ? (
            <p data-testid="audit-empty">{t('admin.auditLog.empty')}</p>
          ) : (
            <div className="table-scroll admin-table" tabIndex={0} role="region" aria-labelledby="audit-caption">
              <table data-testid="audit-rows">
                <caption id="audit-caption">{t('admin.auditLog.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.auditLog.at')}</th>
                    <th scope="col">{t('admin.auditLog.actor')}</th>
                    <th scope="col">{t('admin.auditLog.action')}</th>
                    <th scope="col">{t('admin.auditLog.outcome')}</th>
                    <th scope="col">{t('admin.auditLog.object')}</th>
                    <th scope="col">{t('admin.auditLog.patients')}</th>
                    <th scope="col">{t('admin.auditLog.source')}</th>
                    <th scope="col">{t('admin.auditLog.reason')}</th>
                    <th scope="col">{t('admin.auditLog.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((e) => {
                    const patients = e.patientPseudonym ? [e.patientPseudonym] : e.patientPseudonyms;
                    return (
                      <tr key={e.id} data-testid="audit-row">
                        <td className="nowrap">{formatTimestamp(e.occurredAt, lang)}</td>
                        <th scope="row">
                          {e.actor}
                          <span className="hint"> ({e.role}{e.organisation ? `, ${e.organisation}` : ''})</span>
                        </th>
                        <td>
                          <code>{e.action}</code>
                        </td>
                        <td>{t(`admin.auditLog.outcomes.${e.outcome}`, { defaultValue: e.outcome })}</td>
                        <td>
                          {e.resourceType}
                          {e.resourceId && <span className="hint admin-id"> {e.resourceId}</span>}
                        </td>
                        <td>
                          {patients.slice(0, PATIENTS_SHOWN).join(', ')}
                          {patients.length > PATIENTS_SHOWN && ` ${t('admin.auditLog.morePatients', { count: patients.length - PATIENTS_SHOWN })}`}
                        </td>
                        <td>{e.source ?? ''}</td>
                        <td>{e.reason === '[verborgen]' ? t('admin.auditLog.hidden') : (e.reason ?? '')}</td>
                        <td className="admin-detail">{e.detail ? <code>{JSON.stringify(e.detail)}</code> : ''}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <Pager
            offset={offset}
            limit={LIMIT}
            total={page.total}
            onChange={(next) => {
              const p = new URLSearchParams(params);
              p.set('offset', String(next));
              setParams(p);
            }}
          />
        </div>
      )}
    </AdminFrame>
  );
}
