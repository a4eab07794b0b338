import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ApiProblem, getJson } from '../api/client';
import type { Patient } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { useLoad } from '../components/use-load';
import { formatDate } from '../format';
import { RecordForm } from '../practice/record-form';
import { RECORD_FORM_ANCHOR, recordInitialFromSearch } from '../practice/record-links';
import { EnrolmentAction, EnrolmentCorrection } from '../records/enrolment-correction';
import { EntryAction, EntryCorrection } from '../records/entry-correction';
import { takePrefetchedRecord } from '../records/record-prefetch';
import { problemLabel } from '../records/labels';
import { CareQuarterTable, HistoryTable, WindowTable } from '../records/record-tables';
import type { PatientHistory, PatientRecord } from '../records/record-types';
import { CORRECTING_ROLES } from '../records/roles';
import { Timeline } from '../records/timeline';
import { LoadError, Loading } from './status';

/**
 * /patienten/:id: one patient's record (issue 14 item 2): the enrolment, its problems and windows (judged on today),
 * the care quarters with their amounts (on the analysis date), the timeline, the history of corrections, and for the
 * practice the corrections (item 3) and the record form for this patient, pre-filled from the address
 * (?registreer=meting&instrument=SIX_MWT&datum=...#registreren, how a worklist row opens it).
 */
export function PatientRecordPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const { user } = useAuth();
  const location = useLocation();
  const [search] = useSearchParams();
  const record = useLoad(async () => {
    const url = `/api/v1/patient-records/${encodeURIComponent(id)}`;
    return (await takePrefetchedRecord<PatientRecord>(id)) ?? getJson<PatientRecord>(url);
  }, [id]);
  const history = useLoad(() => getJson<PatientHistory>(`/api/v1/patients/${encodeURIComponent(id)}/history`), [id]);
  const [entryAction, setEntryAction] = useState<EntryAction | null>(null);
  const [enrolmentAction, setEnrolmentAction] = useState<EnrolmentAction | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const canCorrect = !!user && CORRECTING_ROLES.includes(user.role);
  const backTo = (location.state as { list?: string } | null)?.list ?? (record.data ? `/patienten?practice=${record.data.patient.practice}` : '/patienten');

  const reload = () => {
    record.reload();
    history.reload();
  };
  const done = (message: string) => {
    setEntryAction(null);
    setEnrolmentAction(null);
    setStatus(message);
    reload();
  };

  if (record.error) {
    const missing = record.error instanceof ApiProblem && record.error.status === 404;
    return (
      <>
        <p>
          <Link to={backTo}>{t('record.back')}</Link>
        </p>
        {missing ? <p role="alert">{t('record.notFound')}</p> : <LoadError error={record.error} onRetry={record.reload} />}
      </>
    );
  }
  if (!record.data) return <Loading />;
  const data = record.data;
  const patient = data.patient;

  return (
    <div className="patient-record" data-testid="patient-record">
      <p className="no-print">
        <Link to={backTo} data-testid="record-back">
          {t('record.back')}
        </Link>
      </p>
      <h1>{t('record.title', { ref: patient.ref, pseudonym: patient.pseudonym })}</h1>
      <p className="hint" data-testid="record-judged-on">
        {t('record.judgedOn', { today: formatDate(data.today, i18n.language), analysisDate: formatDate(data.analysisDate, i18n.language) })}
      </p>
      <nav className="on-this-page no-print" aria-label={t('record.onThisPage')}>
        <ul>
          <li>
            <a href="#record-enrolment">{t('record.enrolment')}</a>
          </li>
          {canCorrect && (
            <li>
              <a href={`#${RECORD_FORM_ANCHOR}`}>{t('record.register')}</a>
            </li>
          )}
          <li>
            <a href="#record-timeline">{t('record.timeline')}</a>
          </li>
          <li>
            <a href="#record-quarters">{t('record.careQuarters')}</a>
          </li>
          <li>
            <a href="#record-history">{t('record.history')}</a>
          </li>
        </ul>
      </nav>
      <p role="status" className="correction-status" data-testid="correction-status">
        {status}
      </p>

      <section id="record-enrolment" aria-labelledby="record-enrolment-title">
        <h2 id="record-enrolment-title" tabIndex={-1}>
          {t('record.enrolment')}
        </h2>
        <Enrolment patient={patient} insurerName={data.insurerName} />
        {canCorrect && (
          <p className="record-actions no-print">
            <button type="button" className="secondary" onClick={() => setEnrolmentAction({ mode: 'edit', patient })} data-testid="enrolment-edit-open">
              {t('corrections.editEnrolment')}
            </button>
            {!patient.endDate && (
              <button type="button" className="secondary" onClick={() => setEnrolmentAction({ mode: 'end', patient })} data-testid="enrolment-end-open">
                {t('corrections.endEnrolment')}
              </button>
            )}
          </p>
        )}
        <h3>{t('record.problems')}</h3>
        {data.problems.length === 0 ? (
          <p data-testid="record-problems">{t('record.problemsNone')}</p>
        ) : (
          <ul data-testid="record-problems" className="record-problems">
            {data.problems.map((p) => (
              <li key={p}>
                <strong>{problemLabel(p, t)}</strong>: {t(`record.problemHelp.${p}`)}
              </li>
            ))}
          </ul>
        )}
        <h3>{t('record.windows')}</h3>
        <WindowTable windows={data.windows} />
      </section>

      {canCorrect && (
        <RegisterSection
          key={`${id}${location.search}`}
          patient={patient}
          initial={recordInitialFromSearch(search)}
          focus={location.hash === `#${RECORD_FORM_ANCHOR}`}
          onRecorded={() => {
            setStatus(null);
            reload();
          }}
        />
      )}

      <section id="record-timeline" aria-labelledby="record-timeline-title">
        <h2 id="record-timeline-title" tabIndex={-1}>
          {t('record.timeline')}
        </h2>
        <Timeline entries={data.timeline} canCorrect={canCorrect} onAction={setEntryAction} />
      </section>

      <section id="record-quarters" aria-labelledby="record-quarters-title">
        <h2 id="record-quarters-title">{t('record.careQuarters')}</h2>
        <CareQuarterTable quarters={data.careQuarters} analysisDate={data.analysisDate} />
      </section>

      <section id="record-history" aria-labelledby="record-history-title">
        <h2 id="record-history-title">{t('record.history')}</h2>
        {history.error && <LoadError error={history.error} onRetry={history.reload} />}
        {!history.data && !history.error && <Loading />}
        {history.data && <HistoryTable items={history.data.items} />}
      </section>

      {entryAction && <EntryCorrection action={entryAction} onClose={() => setEntryAction(null)} onDone={done} />}
      {enrolmentAction && <EnrolmentCorrection action={enrolmentAction} onClose={() => setEnrolmentAction(null)} onDone={done} />}
    </div>
  );
}

function Enrolment({ patient, insurerName }: { patient: Patient; insurerName: string | null }) {
  const { t, i18n } = useTranslation();
  const date = (d: string | null) => formatDate(d, i18n.language);
  const facts: [string, string][] = [
    ['ref', patient.ref],
    ['pseudonym', patient.pseudonym],
    ['practice', patient.practice],
    ['insurer', insurerName ? `${insurerName} (${patient.insurer})` : patient.insurer],
    ['arm', t(`armsLong.${patient.arm}`)],
    ['birthYear', String(patient.birthYear)],
    ['sex', t(`forms.sexes.${patient.sex}`)],
    ['goldStage', String(patient.goldStage)],
    ['profile', String(patient.profile)],
    ['referralDate', date(patient.referralDate)],
    ['intakeDate', date(patient.intakeDate)],
    ['endDate', patient.endDate ? date(patient.endDate) : t('record.running')],
    ...(patient.endReason ? ([['endReason', t(`record.endReasons.${patient.endReason}`)]] as [string, string][]) : []),
  ];
  return (
    <dl className="facts record-facts" data-testid="enrolment">
      {facts.map(([field, value]) => (
        <div key={field} data-field={field}>
          <dt>{t(`record.fields.${field}`)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The record form for this patient; with #registreren in the address it is scrolled to and takes the focus. */
function RegisterSection({ patient, initial, focus, onRecorded }: { patient: Patient; initial: ReturnType<typeof recordInitialFromSearch>; focus: boolean; onRecorded(): void }) {
  const { t } = useTranslation();
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!focus || !section.current) return;
    section.current.scrollIntoView({ block: 'start' });
    section.current.focus({ preventScroll: true });
  }, [focus]);
  return (
    <section id={RECORD_FORM_ANCHOR} aria-labelledby="record-register-title" tabIndex={-1} ref={section} className="no-print register-section" data-testid="record-register">
      <h2 id="record-register-title">{t('record.register')}</h2>
      <RecordForm fixedPatient={{ id: patient.id, ref: patient.ref, pseudonym: patient.pseudonym }} practice={patient.practice} initial={initial} onRecorded={onRecorded} idPrefix="record-page" />
    </section>
  );
}
