import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { getJson } from '../api/client';
import type {
  ChangeSide,
  FigureChange,
  PracticeChanges,
  RecordChangeCounts,
  SnapshotChanges,
  SnapshotDetail,
} from '../api/types';
import type { Translate } from '../charts/chart-types';
import { DefinitionLink } from '../components/definition-link';
import { figureName, figureValue } from '../components/figure-change-words';
import { useLoad } from '../components/use-load';
import { formatDate, formatDateTime, formatNumber } from '../format';
import { snapshotHref } from '../components/snapshot-banner';
import { LoadError, Loading } from './status';

const COUNTS = ['added', 'late', 'corrected', 'deleted'] as const;

/**
 * What changed since a snapshot (issue 13): against now (`?met=nu`) or another snapshot (`?met=<id>`), the figures
 * of the comparison that moved (before, after, change, in the indicator's unit) and the records added (of which
 * late), corrected and deleted per practice, with totals. "Now" is marked when the live figures wait for a recompute.
 */
export function SnapshotChangesPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const met = search.get('met') ?? 'nu';
  const to = met === 'nu' ? 'now' : met;
  const changes = useLoad(
    () =>
      getJson<SnapshotChanges>(
        `/api/v1/snapshots/${encodeURIComponent(id)}/changes?to=${encodeURIComponent(to)}`,
      ),
    [id, to],
  );
  // The indicators' units: the from-snapshot's frozen comparison names them.
  const detail = useLoad(() => getJson<SnapshotDetail>(`/api/v1/snapshots/${encodeURIComponent(id)}`), [id]);
  const units = new Map<string, string>(
    detail.data?.comparison.indicators.map((i) => [i.code, i.unit]) ?? [],
  );
  return (
    <>
      <h1>{t('snapshots.changes.title')}</h1>
      <p className="no-print">
        <Link to="/momentopnamen">{t('snapshots.changes.back')}</Link>
      </p>
      {(changes.error ?? detail.error) && (
        <LoadError
          error={(changes.error ?? detail.error)!}
          onRetry={() => {
            changes.reload();
            detail.reload();
          }}
        />
      )}
      {(!changes.data || !detail.data) && !changes.error && !detail.error && <Loading />}
      {changes.data && detail.data && (
        <>
          <Sides from={changes.data.from} to={changes.data.to} language={i18n.language} />
          <FiguresTable figures={changes.data.figures} units={units} />
          <RecordsTable
            practices={changes.data.practices}
            total={changes.data.total}
            lateDate={changes.data.from.analysisDate}
          />
        </>
      )}
    </>
  );
}

function Sides({ from, to, language }: { from: ChangeSide; to: ChangeSide; language: string }) {
  const { t } = useTranslation();
  return (
    <div className="changes-sides" data-testid="changes-sides">
      <p data-testid="changes-from">
        {t('snapshots.changes.from', {
          label: from.label,
          analysisDate: formatDate(from.analysisDate, language),
        })}{' '}
        {from.snapshotId && (
          <Link to={snapshotHref(from.snapshotId)} className="no-print">
            ({t('snapshots.changes.open')})
          </Link>
        )}
      </p>
      <p data-testid="changes-to">
        {to.snapshotId
          ? t('snapshots.changes.toSnapshot', {
              label: to.label,
              analysisDate: formatDate(to.analysisDate, language),
            })
          : t('snapshots.changes.toNow', {
              analysisDate: formatDate(to.analysisDate, language),
              computedAt: formatDateTime(to.computedAt, language),
            })}{' '}
        {to.snapshotId && (
          <Link to={snapshotHref(to.snapshotId)} className="no-print">
            ({t('snapshots.changes.open')})
          </Link>
        )}
      </p>
      {to.stale && (
        <p className="warning" role="status" data-testid="changes-now-stale">
          {t('snapshots.changes.nowStale')}
        </p>
      )}
    </div>
  );
}

function FiguresTable({ figures, units }: { figures: FigureChange[]; units: Map<string, string> }) {
  const { t } = useTranslation();
  const tr = t as Translate;
  // Per indicator in the API's (catalogue) order, its figures under its name.
  const codes = [...new Set(figures.map((f) => f.code))];
  return (
    <section aria-labelledby="figures-title">
      <h2 id="figures-title">{t('snapshots.changes.figures')}</h2>
      {figures.length === 0 ? (
        <p data-testid="figures-none">{t('snapshots.changes.figuresNone')}</p>
      ) : (
        <>
          <p data-testid="figures-count">
            {t('snapshots.changes.figuresCount', { figures: figures.length, indicators: codes.length })}
          </p>
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={t('snapshots.changes.figures')}
          >
            <table className="changes-table" data-testid="figures-table">
              <thead>
                <tr>
                  <th scope="col">{t('table.indicator')}</th>
                  <th scope="col">{t('snapshots.changes.figure')}</th>
                  <th scope="col" className="num">
                    {t('snapshots.changes.before')}
                  </th>
                  <th scope="col" className="num">
                    {t('snapshots.changes.after')}
                  </th>
                  <th scope="col" className="num">
                    {t('snapshots.changes.change')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {codes.map((code) => {
                  const own = figures.filter((f) => f.code === code);
                  const unit = units.get(code) ?? '';
                  return (
                    <Fragment key={code}>
                      {own.map((f, i) => (
                        <tr
                          key={f.figure}
                          data-code={f.code}
                          data-figure={f.figure}
                          className={i === 0 ? 'first-of-indicator' : undefined}
                        >
                          {i === 0 && (
                            <th scope="rowgroup" rowSpan={own.length}>
                              <DefinitionLink code={code} />
                            </th>
                          )}
                          <td>{figureName(f.figure, tr)}</td>
                          <td className="num" data-col="before">
                            {figureValue(f.figure, f.before, unit)}
                          </td>
                          <td className="num" data-col="after">
                            {figureValue(f.figure, f.after, unit)}
                          </td>
                          <td className="num" data-col="change">
                            {figureValue(f.figure, f.change, unit, true)}
                          </td>
                        </tr>
                      ))}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function countCells(counts: RecordChangeCounts) {
  return COUNTS.map((key) => (
    <td key={key} className={`num${key === 'late' && counts.late > 0 ? ' late' : ''}`} data-col={key}>
      {formatNumber(counts[key])}
    </td>
  ));
}

function RecordsTable({
  practices,
  total,
  lateDate,
}: {
  practices: PracticeChanges[];
  total: RecordChangeCounts;
  lateDate: string;
}) {
  const { t, i18n } = useTranslation();
  const tableWords = (p: PracticeChanges) =>
    p.tables
      .map((table) =>
        t('snapshots.changes.tableCounts', {
          table: t(`snapshots.changes.tables.${table.table}`),
          counts: COUNTS.filter((key) => table.counts[key] > 0)
            .map((key) => t(`snapshots.changes.countsParts.${key}`, { count: formatNumber(table.counts[key]) }))
            .join(', '),
        }),
      )
      .join('; ');
  return (
    <section aria-labelledby="records-title">
      <h2 id="records-title">{t('snapshots.changes.records')}</h2>
      {practices.length === 0 ? (
        <p data-testid="records-none">{t('snapshots.changes.recordsNone')}</p>
      ) : (
        <>
          <p className="late-explained" data-testid="late-explained">
            {t('snapshots.changes.lateExplained', { date: formatDate(lateDate, i18n.language) })}
          </p>
          <div
            className="table-scroll"
            tabIndex={0}
            role="region"
            aria-label={t('snapshots.changes.records')}
          >
            <table className="changes-table" data-testid="records-table">
              <thead>
                <tr>
                  <th scope="col">{t('snapshots.changes.practice')}</th>
                  {COUNTS.map((key) => (
                    <th key={key} scope="col" className={`num${key === 'late' ? ' late-head' : ''}`}>
                      {t(`snapshots.changes.${key}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {practices.map((p) => (
                  <tr key={p.agb ?? 'none'} data-agb={p.agb ?? ''}>
                    <th scope="row">
                      {p.agb ? `${p.name ?? ''} (${p.agb})` : t('snapshots.changes.noPractice')}
                      <span className="sub">{tableWords(p)}</span>
                    </th>
                    {countCells(p.total)}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr data-testid="records-total">
                  <th scope="row">{t('snapshots.changes.total')}</th>
                  {countCells(total)}
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
