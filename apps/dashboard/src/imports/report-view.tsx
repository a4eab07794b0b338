import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadCsv } from '../charts/csv';
import { formatDate } from '../format';
import type { ImportReport } from './import-types';
import { PATIENT_STATUSES, RECORD_STATUSES } from './import-types';
import { changeText, fieldText, filterPatients, withField, filterRecords, PatientFilter, patientsToMap, problemText, RecordFilter, refusals, refusalsCsv, whereText } from './report-rows';

/** The dry run's report: the counts, the patients and the records, each table filterable by status; the refusals as CSV. */
export function ReportView({ report }: { report: ImportReport }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [patientFilter, setPatientFilter] = useState<PatientFilter>('ALL');
  const [recordFilter, setRecordFilter] = useState<RecordFilter>('ISSUES');
  const patients = filterPatients(report.patients, patientFilter);
  const records = filterRecords(report.records, recordFilter);
  const refused = refusals(report, t, lang);
  const keyName = (key: string) => report.patients.find((p) => p.key === key)?.ref ?? key;
  const { patients: ps, records: rs } = report.summary;
  const toMap = patientsToMap(report).length;

  return (
    <div data-testid="import-report">
      <p data-testid="import-read">{t('imports.read', { count: report.read })}</p>
      {toMap > 0 && (
        <p data-testid="import-to-map">
          {t('imports.toMap', { count: toMap })} <a href="#import-mapping-title">{t('imports.toMapLink')}</a>
        </p>
      )}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t('imports.summary')}>
        <table className="import-summary" data-testid="import-summary">
          <caption>{t('imports.summary')}</caption>
          <thead>
            <tr>
              <td />
              <th scope="col">{t('imports.patientsRow')}</th>
              <th scope="col">{t('imports.recordsRow')}</th>
            </tr>
          </thead>
          <tbody>
            {RECORD_STATUSES.map((s) => {
              const key = s.toLowerCase() as Lowercase<typeof s>;
              return (
                <tr key={s}>
                  <th scope="row">{t(`imports.statuses.${s}`)}</th>
                  <td data-kind="patients" data-status={s}>
                    {key === 'skipped' ? '–' : ps[key]}
                  </td>
                  <td data-kind="records" data-status={s}>
                    {rs[key]}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h3 id="import-patients-title">{t('imports.patientsTitle')}</h3>
      <label className="inline">
        {t('imports.filterStatus')}
        <select value={patientFilter} onChange={(e) => setPatientFilter(e.target.value as PatientFilter)} data-testid="import-patient-filter">
          <option value="ALL">{t('imports.filterAll')}</option>
          {PATIENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`imports.statuses.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="import-patients-title">
        <table className="import-table" data-testid="import-patients">
          <caption>{t('imports.patientsCaption', { count: patients.length, total: report.patients.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('imports.columns.patient')}</th>
              <th scope="col">{t('imports.columns.status')}</th>
              <th scope="col">{t('imports.columns.changes')}</th>
              <th scope="col">{t('imports.columns.missing')}</th>
              <th scope="col">{t('imports.columns.problems')}</th>
            </tr>
          </thead>
          <tbody>
            {patients.map((p) => (
              <tr key={p.key} data-key={p.key} data-status={p.status}>
                <th scope="row" className="import-nowrap">
                  {p.ref ?? p.key}
                  {p.pseudonym && <span className="import-sub">{p.pseudonym}</span>}
                </th>
                <td data-label={t('imports.columns.status')}>
                  <span className={`import-status status-${p.status.toLowerCase()}`}>{t(`imports.statuses.${p.status}`)}</span>
                </td>
                <td data-label={t('imports.columns.changes')}>{p.changes.length === 0 ? '–' : <ul className="import-list">{p.changes.map((c) => <li key={c.field}>{changeText(c, t)}</li>)}</ul>}</td>
                <td data-testid="import-missing" data-label={t('imports.columns.missing')}>{p.missingForEnrolment.length === 0 ? '–' : p.missingForEnrolment.map((f) => fieldText(f, t)).join(', ')}</td>
                <td data-label={t('imports.columns.problems')}>
                  {p.problems.length === 0 ? (
                    '–'
                  ) : (
                    <ul className="import-list">
                      {p.problems.map((problem, i) => (
                        <li key={i}>{withField(fieldText(problem.field, t), problemText(problem, lang))}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3 id="import-records-title">{t('imports.recordsTitle')}</h3>
      <div className="import-tools">
        <label className="inline">
          {t('imports.filterStatus')}
          <select value={recordFilter} onChange={(e) => setRecordFilter(e.target.value as RecordFilter)} data-testid="import-record-filter">
            <option value="ISSUES">{t('imports.filterIssues')}</option>
            <option value="ALL">{t('imports.filterAll')}</option>
            {RECORD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`imports.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          disabled={refused.length === 0}
          onClick={() => downloadCsv(t('imports.refusalsFile'), refusalsCsv(refused, t, lang))}
          data-testid="import-refusals-csv"
        >
          {t('imports.refusalsCsv', { count: refused.length })}
        </button>
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="import-records-title" hidden={records.length === 0}>
        <table className="import-table import-rows" data-testid="import-records">
          <caption>{t('imports.recordsCaption', { count: records.length, total: report.records.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('imports.columns.file')}</th>
              <th scope="col">{t('imports.columns.where')}</th>
              <th scope="col">{t('imports.columns.patient')}</th>
              <th scope="col">{t('imports.columns.entity')}</th>
              <th scope="col">{t('imports.columns.date')}</th>
              <th scope="col">{t('imports.columns.status')}</th>
              <th scope="col">{t('imports.columns.field')}</th>
              <th scope="col">{t('imports.columns.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r, i) => {
              const problems = r.problems ?? [];
              return (
                <tr key={i} data-status={r.status}>
                  <td className="import-file" data-label={t('imports.columns.file')}>
                    {r.source.file}
                  </td>
                  <th scope="row" className="import-where">
                    {whereText(r.source, t)}
                  </th>
                  <td className="import-nowrap" data-label={t('imports.columns.patient')}>
                    {keyName(r.patientKey)}
                  </td>
                  <td className="import-nowrap" data-label={t('imports.columns.entity')}>
                    {t(`imports.entities.${r.entity}`)}
                  </td>
                  <td className="import-nowrap" data-label={t('imports.columns.date')}>
                    {r.date ? formatDate(r.date, lang) : ''}
                  </td>
                  <td data-label={t('imports.columns.status')}>
                    <span className={`import-status status-${r.status.toLowerCase()}`}>{t(`imports.statuses.${r.status}`)}</span>
                  </td>
                  <td data-testid="import-record-field" data-label={t('imports.columns.field')}>{problems.map((p) => fieldText(p.field, t)).join(', ') || (r.changes ?? []).map((c) => fieldText(c.field, t)).join(', ')}</td>
                  <td data-testid="import-record-reason" data-label={t('imports.columns.reason')}>
                    {problems.length > 0
                      ? problems.map((p) => problemText(p, lang)).join(' ')
                      : r.changes && r.changes.length > 0
                        ? r.changes.map((c) => changeText(c, t)).join('; ')
                        : r.status === 'REFUSED'
                          ? t('imports.patientRefused')
                          : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {records.length === 0 && <p>{t('imports.noRecords')}</p>}
    </div>
  );
}
