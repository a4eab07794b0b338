import { FormEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiProblem, getAll } from '../api/client';
import type { Contract, Insurer, Practice } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { DownloadButton } from '../components/download-button';
import { useLoad } from '../components/use-load';
import { postImport } from '../imports/import-api';
import { ConfirmResult, CSV_KINDS, CsvKind, ImportFormat, ImportProgress, ImportReport } from '../imports/import-types';
import type { ImportUpload } from '../imports/import-api';
import { MappingForm } from '../imports/mapping-form';
import { EMPTY_MAPPING, MappingValues, toMapping } from '../imports/mapping';
import { ReportView } from '../imports/report-view';
import { hasUpdates, patientsToMap, writesAnything } from '../imports/report-rows';
import { ErrorSummary } from '../practice/error-summary';
import { FormErrors, NO_ERRORS, toFormErrors } from '../practice/field-errors';
import { FormField } from '../practice/form-field';
import { reasonProblem, ReasonField } from '../records/reason-field';
import { LoadError, Loading } from './status';

const UPLOAD_FIELDS = ['format', 'kind', 'files', 'mapping'] as const;

/**
 * Importeren (issue 15): a CSV or FHIR upload first as a dry run (streamed progress, then the report per patient and
 * per record), the mapping form for what the source lacks, then the confirm that writes the same upload or nothing.
 * Templates and exports of the practice are downloadable here as well.
 */
export function ImportPage() {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const evaluator = user?.role === 'EVALUATOR';
  const all = useLoad(() => (evaluator ? getAll<Practice>('/api/v1/practices') : Promise.resolve(undefined)), [evaluator]);
  const practices = evaluator ? (all.data ?? []).map((p) => ({ agb: p.agb, name: p.name })) : (user?.practices ?? []);
  const [chosen, setChosen] = useState<string>('');
  const agb = practices.find((p) => p.agb === chosen)?.agb ?? practices[0]?.agb;

  const insurers = useLoad(async () => {
    if (!agb) return [];
    const contracts = await getAll<Contract>(`/api/v1/contracts?practice=${agb}`);
    const names = await getAll<Insurer>('/api/v1/insurers').catch(() => [] as Insurer[]);
    const codes = [...new Set(contracts.map((c) => c.insurer))].sort();
    return codes.map((uzovi) => ({ uzovi, name: names.find((i) => i.uzovi === uzovi)?.name ?? uzovi }));
  }, [agb]);

  const [format, setFormat] = useState<ImportFormat>('csv');
  const [kind, setKind] = useState<CsvKind>('sessions');
  const [files, setFiles] = useState<File[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const [mapping, setMapping] = useState<MappingValues>(EMPTY_MAPPING);
  const [run, setRun] = useState<{ upload: ImportUpload; report: ImportReport } | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [busy, setBusy] = useState<'dry-run' | 'confirm' | null>(null);
  const [failure, setFailure] = useState<{ error: unknown; attempt: number } | null>(null);
  const errors: FormErrors = useMemo(() => (failure ? toFormErrors(failure.error, [...UPLOAD_FIELDS], i18n.language) : NO_ERRORS), [failure, i18n.language]);
  const [reason, setReason] = useState('');
  const [reasonShown, setReasonShown] = useState(false);
  const [written, setWritten] = useState<ConfirmResult | null>(null);
  const [confirmFailure, setConfirmFailure] = useState<ApiProblem | Error | null>(null);

  if (evaluator && all.error) return <LoadError error={all.error} onRetry={all.reload} />;
  if (evaluator && !all.data) return <Loading />;
  if (!agb) return <p>{t('app.forbidden')}</p>;

  /** Anything chosen anew makes the last report stale: it is dropped, and the confirm waits for a new dry run. */
  const reset = () => {
    setRun(null);
    setWritten(null);
    setConfirmFailure(null);
    setProgress(null);
  };

  async function dryRun() {
    setBusy('dry-run');
    setWritten(null);
    setConfirmFailure(null);
    setProgress({ phase: 'read', done: 0 });
    try {
      if (files.length === 0) throw new ApiProblem(400, 'IMPORT.NO_FILES', t('imports.noFiles'), [{ code: 'IMPORT.NO_FILES', path: 'files', message: t('imports.noFiles') }]);
      // The bytes as they are now: the confirm sends exactly what this dry run reported on (a file chosen from disk
      // and changed there afterwards would otherwise fail the upload in the browser, or be a different file).
      const copies = await Promise.all(files.map(async (f) => new File([await f.arrayBuffer()], f.name, { type: f.type })));
      const upload: ImportUpload = { format, ...(format === 'csv' ? { kind } : {}), files: copies, mapping: toMapping(agb!, mapping) };
      const report = await postImport('/api/v1/imports/dry-run', upload, setProgress);
      setRun({ upload, report });
      setFailure(null);
      setReasonShown(false);
    } catch (error) {
      setRun(null);
      setFailure((f) => ({ error, attempt: (f?.attempt ?? 0) + 1 }));
    } finally {
      setBusy(null);
      setProgress(null);
    }
  }

  async function confirm() {
    if (!run) return;
    const needsReason = hasUpdates(run.report);
    if (reasonProblem(reason, needsReason)) {
      setReasonShown(true);
      return;
    }
    setBusy('confirm');
    setConfirmFailure(null);
    setProgress({ phase: 'write', done: 0 });
    try {
      const report = await postImport('/api/v1/imports/confirm', { ...run.upload, digest: run.report.digest, ...(reason.trim() ? { reason: reason.trim() } : {}) }, setProgress);
      setWritten(report);
      setRun(null);
      setReason('');
    } catch (error) {
      setConfirmFailure(error instanceof Error ? error : new Error(String(error)));
    } finally {
      setBusy(null);
      setProgress(null);
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void dryRun();
  };
  const labels = { format: t('imports.format'), kind: t('imports.kind'), files: t('imports.files'), mapping: t('imports.mappingTitle') };
  const lang = i18n.language === 'en' ? 'en' : 'nl';
  const fileChanged = confirmFailure instanceof ApiProblem && confirmFailure.code === 'IMPORT.FILE_CHANGED';
  const toMap = run ? patientsToMap(run.report) : [];
  const canConfirm = run !== null && writesAnything(run.report);
  const reasonErrors = reasonShown && run && reasonProblem(reason, hasUpdates(run.report)) ? [t('corrections.reasonRequired')] : undefined;
  const patientsHref = practices.length > 1 ? `/patienten?practice=${agb}` : '/patienten';

  return (
    <>
      <h1>{t('imports.title')}</h1>
      <p>{t('imports.intro')}</p>
      {practices.length > 1 && (
        <label className="no-print import-practice">
          {t('imports.practice')}{' '}
          <select
            value={agb}
            onChange={(e) => {
              setChosen(e.target.value);
              setMapping(EMPTY_MAPPING);
              reset();
            }}
            data-testid="import-practice"
          >
            {practices.map((p) => (
              <option key={p.agb} value={p.agb}>
                {p.name} ({p.agb})
              </option>
            ))}
          </select>
        </label>
      )}

      <section aria-labelledby="import-upload-title" className="page-section">
        <h2 id="import-upload-title">{t('imports.uploadTitle')}</h2>
        <form onSubmit={submit} noValidate className="record-form" data-testid="import-form">
          <ErrorSummary errors={errors} labels={labels} idOf={(f) => `import-${f}`} attempt={failure?.attempt} testId="import-error-summary" />
          <fieldset className="import-format">
            <legend>{t('imports.format')}</legend>
            {(['csv', 'fhir'] as const).map((f) => (
              <label key={f} className="inline">
                <input
                  type="radio"
                  name="format"
                  value={f}
                  id={f === format ? 'import-format' : undefined}
                  checked={format === f}
                  onChange={() => {
                    setFormat(f);
                    reset();
                  }}
                />
                {t(`imports.formats.${f}`)}
              </label>
            ))}
          </fieldset>
          <div className="form-grid">
            {format === 'csv' && (
              <FormField label={t('imports.kind')} id="import-kind" errors={errors.fields.kind}>
                {(p) => (
                  <select
                    {...p}
                    name="kind"
                    value={kind}
                    onChange={(e) => {
                      setKind(e.target.value as CsvKind);
                      reset();
                    }}
                  >
                    {CSV_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`imports.kinds.${k}`)}
                      </option>
                    ))}
                  </select>
                )}
              </FormField>
            )}
            <FormField label={t('imports.files')} hint={t(`imports.filesHint.${format}`)} id="import-files" errors={errors.fields.files}>
              {(p) => (
                <input
                  {...p}
                  ref={fileInput}
                  type="file"
                  name="files"
                  multiple
                  accept={format === 'csv' ? '.csv,text/csv' : '.json,.ndjson,application/fhir+json,application/json'}
                  onChange={(e) => {
                    setFiles([...(e.target.files ?? [])]);
                    setMapping(EMPTY_MAPPING);
                    reset();
                  }}
                  data-testid="import-files"
                />
              )}
            </FormField>
          </div>
          <button type="submit" disabled={busy !== null} data-testid="import-dry-run">
            {busy === 'dry-run' ? t('imports.busy') : t('imports.dryRun')}
          </button>
          <ProgressLine progress={progress} />
        </form>
      </section>

      {run && (
        <section aria-labelledby="import-report-title" className="page-section">
          <h2 id="import-report-title">{t('imports.reportTitle')}</h2>
          <ReportView report={run.report} />
          {toMap.length > 0 && <MappingForm patients={toMap} insurers={insurers.data ?? []} values={mapping} onChange={setMapping} onRun={() => void dryRun()} busy={busy !== null} />}
          <div className="record-form" data-testid="import-confirm">
            <h3>{t('imports.confirmTitle')}</h3>
            <p>{canConfirm ? t('imports.confirmIntro') : t('imports.confirmNothing')}</p>
            {canConfirm && hasUpdates(run.report) && <ReasonField id="import-reason" value={reason} onChange={setReason} errors={reasonErrors} />}
            <button type="button" disabled={!canConfirm || busy !== null} onClick={() => void confirm()} data-testid="import-confirm-button">
              {busy === 'confirm' ? t('imports.busy') : t('imports.confirm')}
            </button>
          </div>
        </section>
      )}
      {confirmFailure && (
        <div role="alert" className="form-alert" data-testid="import-confirm-failure">
          <p>{fileChanged ? t('imports.fileChanged') : t('imports.confirmFailed', { message: confirmFailure.message })}</p>
          {fileChanged && (
            <button type="button" className="secondary" onClick={() => void dryRun()} data-testid="import-dry-run-again">
              {t('imports.dryRunAgain')}
            </button>
          )}
        </div>
      )}
      {written && (
        <section aria-labelledby="import-written-title" className="page-section" data-testid="import-written">
          <h2 id="import-written-title">{t('imports.writtenTitle')}</h2>
          <p role="status" data-testid="import-written-counts">
            {t('imports.writtenCounts', {
              patients: t('imports.patientCount', { count: written.written?.patients ?? written.summary.patients.create + written.summary.patients.update }),
              records: t('imports.recordCount', { count: written.written?.records ?? written.summary.records.create + written.summary.records.update }),
            })}
          </p>
          <p>
            <Link to={patientsHref} data-testid="import-patients-link">
              {t('imports.toPatients')}
            </Link>
          </p>
        </section>
      )}

      <section aria-labelledby="import-downloads-title" className="page-section no-print">
        <h2 id="import-downloads-title">{t('imports.downloadsTitle')}</h2>
        <h3>{t('imports.templates')}</h3>
        <p>{t('imports.templatesIntro')}</p>
        <div className="import-downloads">
          {CSV_KINDS.map((k) => (
            <DownloadButton key={k} path={`/api/v1/imports/templates/${k}?lang=${lang}`} fallbackName={`${k}-template.csv`} label={t('imports.template', { kind: t(`imports.kinds.${k}`) })} testId={`import-template-${k}`} />
          ))}
        </div>
        <h3>{t('imports.exports')}</h3>
        <p>{t('imports.exportsIntro')}</p>
        <div className="import-downloads">
          {CSV_KINDS.map((k) => (
            <DownloadButton key={k} path={`/api/v1/exports/csv/${k}?practice=${agb}&lang=${lang}`} fallbackName={`${k}.csv`} label={t('imports.exportCsv', { kind: t(`imports.kinds.${k}`) })} testId={`import-export-${k}`} />
          ))}
          <DownloadButton path={`/api/v1/exports/fhir?practice=${agb}&format=ndjson`} fallbackName="export.ndjson" label={t('imports.exportNdjson')} testId="import-export-ndjson" />
          <DownloadButton path={`/api/v1/exports/fhir?practice=${agb}&format=bundles`} fallbackName="export.zip" label={t('imports.exportBundles')} testId="import-export-bundles" />
        </div>
      </section>
    </>
  );
}

/** Rows read and checked as the streamed lines tell them: a <progress> bar and the same in words for screen readers. */
function ProgressLine({ progress }: { progress: ImportProgress | null }) {
  const { t } = useTranslation();
  const text = progress ? t(`imports.progress.${progress.phase}${progress.total === undefined ? 'Open' : ''}`, { done: progress.done, total: progress.total }) : '';
  return (
    <div className="import-progress">
      {progress && <progress max={progress.total ?? undefined} value={progress.total ? progress.done : undefined} aria-label={text} data-testid="import-progress" />}
      <p role="status" aria-live="polite" data-testid="import-progress-text">
        {text}
      </p>
    </div>
  );
}
