import { FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { getAll, getJson } from '../api/client';
import type { Insurer, Practice } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { useLoad } from '../components/use-load';
import { DASH, formatDate } from '../format';
import { preloadRecordPage } from '../records/record-page-loader';
import { nextDueText, problemLabel } from '../records/labels';
import {
  apiListQuery,
  ListQuery,
  PAGE_SIZE,
  readListQuery,
  Sort,
  sortBy,
  writeListQuery,
} from '../records/list-query';
import type { PatientRecordPage, PatientRecordRow } from '../records/record-types';
import { LoadError, Loading } from './status';

/**
 * /patienten: the practice's patients (issue 14 item 1), searched, filtered, sorted and paged by the API.
 * The whole state stands in the address, so back/forward and a shared link give the same list.
 */
export function PatientsPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const [search, setSearch] = useSearchParams();
  const query = readListQuery(search);
  const isEvaluator = user?.role === 'EVALUATOR';

  // A practice user sees its own practices; the evaluator chooses among all of them.
  const allPractices = useLoad(
    () => (isEvaluator ? getAll<Practice>('/api/v1/practices') : Promise.resolve([])),
    [isEvaluator],
  );
  const practices: { agb: string; name: string }[] = isEvaluator
    ? [...(allPractices.data ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'nl'))
    : (user?.practices ?? []);
  const agb =
    practices.find((p) => p.agb === query.practice)?.agb ?? (isEvaluator ? undefined : practices[0]?.agb);
  const practice = practices.find((p) => p.agb === agb);

  const insurers = useLoad(() => getAll<Insurer>('/api/v1/insurers').catch(() => [] as Insurer[]), []);
  const list = useLoad(
    () =>
      agb
        ? getJson<PatientRecordPage>(`/api/v1/patient-records?${apiListQuery(query, agb)}`)
        : Promise.resolve(undefined),
    [agb, search.toString()],
  );

  const go = (next: ListQuery) => setSearch(writeListQuery(next));
  // The record page's code is fetched while the list is read, so opening a record waits only for its data.
  useEffect(() => {
    preloadRecordPage();
  }, []);

  return (
    <>
      <h1>{practice ? t('patients.titlePractice', { name: practice.name }) : t('patients.title')}</h1>
      {isEvaluator && <p className="hint">{t('patients.readOnly')}</p>}
      {(isEvaluator || practices.length > 1) && (
        <label className="no-print practice-choice">
          {t('patients.choosePractice')}{' '}
          <select
            value={agb ?? ''}
            onChange={(e) => go({ ...readListQuery(new URLSearchParams()), practice: e.target.value })}
            data-testid="patients-practice"
          >
            {!agb && <option value="">{t('patients.choosePracticeOption')}</option>}
            {practices.map((p) => (
              <option key={p.agb} value={p.agb}>
                {p.name} ({p.agb})
              </option>
            ))}
          </select>
        </label>
      )}
      {allPractices.error && <LoadError error={allPractices.error} onRetry={allPractices.reload} />}
      {!agb && isEvaluator && <p data-testid="patients-choose-first">{t('patients.choosePracticeFirst')}</p>}
      {agb && (
        <>
          <ListFilters
            key={search.toString()}
            query={{ ...query, practice: agb }}
            insurers={insurers.data ?? []}
            onApply={go}
          />
          {list.data && (
            <p className="hint">{t('patients.judgedOn', { today: formatDate(list.data.today) })}</p>
          )}
          {list.error && <LoadError error={list.error} onRetry={list.reload} />}
          {!list.data && !list.error && <Loading />}
          {list.data && (
            <PatientTable
              page={list.data}
              query={{ ...query, practice: agb }}
              onQuery={go}
              busy={list.loading}
            />
          )}
        </>
      )}
    </>
  );
}

/** The search box and filters; applied together (one request), so the list does not jump while typing. */
function ListFilters({
  query,
  insurers,
  onApply,
}: {
  query: ListQuery;
  insurers: Insurer[];
  onApply(q: ListQuery): void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(query);
  const filtersOpen =
    !!(query.status || query.arm || query.insurer || query.goldStage || query.attention) ||
    window.matchMedia('(min-width: 40rem)').matches;
  const set =
    <K extends keyof ListQuery>(key: K) =>
    (value: ListQuery[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ ...draft, page: 1 });
  };
  return (
    <form
      className="filters no-print"
      onSubmit={submit}
      role="search"
      aria-labelledby="patients-filters-title"
      data-testid="patients-filters"
    >
      <h2 id="patients-filters-title">{t('patients.filters')}</h2>
      <div className="filter-grid">
        <label className="patients-search">
          {t('patients.search')}
          <input
            type="search"
            value={draft.q}
            onChange={(e) => set('q')(e.target.value)}
            aria-describedby="patients-search-hint"
            data-testid="patients-search"
            autoComplete="off"
          />
          <span id="patients-search-hint" className="hint">
            {t('patients.searchHint')}
          </span>
        </label>
      </div>
      {/* On a phone the filters fold under the search box until opened (or while one is set), so the list comes sooner. */}
      <details className="more-filters" open={filtersOpen}>
        <summary>{t('patients.moreFilters')}</summary>
        <div className="filter-grid">
          <label>
            {t('patients.status')}
            <select
              value={draft.status}
              onChange={(e) => set('status')(e.target.value as ListQuery['status'])}
              data-testid="patients-status"
            >
              <option value="">{t('patients.all')}</option>
              <option value="active">{t('patients.statuses.active')}</option>
              <option value="ended">{t('patients.statuses.ended')}</option>
            </select>
          </label>
          <label>
            {t('patients.arm')}
            <select
              value={draft.arm}
              onChange={(e) => set('arm')(e.target.value as ListQuery['arm'])}
              data-testid="patients-arm"
            >
              <option value="">{t('patients.all')}</option>
              <option value="BUNDLE">{t('arms.BUNDLE')}</option>
              <option value="FFS">{t('arms.FFS')}</option>
            </select>
          </label>
          <label>
            {t('patients.insurer')}
            <select
              value={draft.insurer}
              onChange={(e) => set('insurer')(e.target.value)}
              data-testid="patients-insurer"
            >
              <option value="">{t('patients.all')}</option>
              {insurers.map((i) => (
                <option key={i.uzovi} value={i.uzovi}>
                  {i.name} ({i.uzovi})
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('patients.goldStage')}
            <select
              value={draft.goldStage}
              onChange={(e) => set('goldStage')(e.target.value as ListQuery['goldStage'])}
              data-testid="patients-gold"
            >
              <option value="">{t('patients.all')}</option>
              {(['2', '3', '4'] as const).map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={draft.attention}
              onChange={(e) => set('attention')(e.target.checked)}
              data-testid="patients-attention"
            />
            {t('patients.attention')}
          </label>
        </div>
      </details>
      <div className="filter-actions">
        <button type="submit" data-testid="patients-apply">
          {t('patients.apply')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => onApply({ ...readListQuery(new URLSearchParams()), practice: query.practice })}
        >
          {t('patients.reset')}
        </button>
      </div>
    </form>
  );
}

const COLUMNS: { key: Sort | 'arm' | 'problems'; sortable: boolean }[] = [
  { key: 'ref', sortable: true },
  { key: 'pseudonym', sortable: true },
  { key: 'arm', sortable: false },
  { key: 'intakeDate', sortable: true },
  { key: 'careQuarters', sortable: true },
  { key: 'lastSession', sortable: true },
  { key: 'nextDue', sortable: true },
  { key: 'problems', sortable: false },
];

function PatientTable({
  page,
  query,
  onQuery,
  busy,
}: {
  page: PatientRecordPage;
  query: ListQuery;
  onQuery(q: ListQuery): void;
  busy: boolean;
}) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = page.offset + page.items.length;
  // Where a record's "back" link returns: this list, as it stands.
  const listAddress = `/patienten?${writeListQuery(query).toString()}`;
  const recordLink = (row: PatientRecordRow) => ({
    pathname: `/patienten/${row.id}`,
    state: { list: listAddress },
  });

  const caption =
    page.total === 0
      ? t('patients.captionEmpty')
      : t('patients.caption', {
          from,
          to,
          total: page.total,
          sort: t(`patients.columns.${query.sort}`),
          order: t(query.order === 'asc' ? 'patients.ascending' : 'patients.descending'),
        });

  return (
    <>
      <p className="hint no-print">{t('patients.sortHint')}</p>
      <div className="table-scroll">
        <table className="patients-table" data-testid="patients-table" aria-busy={busy || undefined}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {COLUMNS.map(({ key, sortable }) => {
                const sorted = sortable && query.sort === key;
                return (
                  <th
                    key={key}
                    scope="col"
                    aria-sort={sorted ? (query.order === 'asc' ? 'ascending' : 'descending') : undefined}
                    data-col={key}
                  >
                    {sortable ? (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={() => onQuery(sortBy(query, key as Sort))}
                        data-testid={`sort-${key}`}
                      >
                        {t(`patients.columns.${key}`)}
                        <span aria-hidden="true" className="sort-mark">
                          {sorted ? (query.order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
                        </span>
                      </button>
                    ) : (
                      t(`patients.columns.${key}`)
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {page.items.map((row) => (
              <tr
                key={row.id}
                className="row-link"
                data-patient-id={row.id}
                onClick={(e) => {
                  // The ref is the link; a click anywhere else in the row opens the same record.
                  if ((e.target as HTMLElement).closest('a')) return;
                  void navigate(recordLink(row));
                }}
              >
                <th scope="row">
                  <Link
                    to={recordLink(row).pathname}
                    state={recordLink(row).state}
                    data-testid="patient-link"
                  >
                    {row.ref}
                  </Link>
                </th>
                <td className="pseudonym">{row.pseudonym}</td>
                <td>{t(`arms.${row.arm}`)}</td>
                <td className="date">
                  {formatDate(row.intakeDate, i18n.language)}
                  {row.endDate && (
                    <span className="sub">
                      {t('patients.ended', { date: formatDate(row.endDate, i18n.language) })}
                    </span>
                  )}
                </td>
                <td className="num">{row.careQuarters}</td>
                <td className="date">{row.lastSession ? formatDate(row.lastSession, i18n.language) : DASH}</td>
                <td data-testid="next-due">
                  {row.nextDue ? (
                    <>
                      {nextDueText(row.nextDue, t, i18n.language)}
                      <span className={`sub due-${row.nextDue.status}`}>
                        {t(`patients.dueStatuses.${row.nextDue.status}`)}
                      </span>
                    </>
                  ) : (
                    t('patients.noNextDue')
                  )}
                </td>
                <td data-testid="problems">
                  {row.problems.length === 0 ? (
                    <span className="sub">{t('patients.noProblems')}</span>
                  ) : (
                    <ul className="problem-list">
                      {row.problems.map((p) => (
                        <li key={p}>{problemLabel(p, t)}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {page.total === 0 && <p data-testid="patients-empty">{t('patients.empty')}</p>}
      {pages > 1 && (
        <nav className="pager no-print" aria-label={t('patients.paging')}>
          <button
            type="button"
            className="secondary"
            disabled={query.page <= 1}
            onClick={() => onQuery({ ...query, page: query.page - 1 })}
          >
            {t('patients.previous')}
          </button>
          <span aria-live="polite" data-testid="patients-page">
            {t('patients.page', { page: query.page, pages })}
          </span>
          <button
            type="button"
            className="secondary"
            disabled={query.page >= pages}
            onClick={() => onQuery({ ...query, page: query.page + 1 })}
            data-testid="patients-next"
          >
            {t('patients.next')}
          </button>
        </nav>
      )}
    </>
  );
}
