import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { getAll, getJson } from '../api/client';
import type { Contract, Insurer, Patient, PeerDistribution, Worklist, WorklistItem } from '../api/types';
import { cell, TableData, Translate } from '../charts/chart-types';
import { toCsv } from '../charts/csv';
import { buildPeerStrip } from '../charts/peer-charts';
import { useAuth } from '../auth/auth-context';
import { ChartPanel, downloadCsv } from '../components/chart-panel';
import { DataTable } from '../components/data-table';
import { FreshnessBar } from '../components/freshness-bar';
import { useLoad } from '../components/use-load';
import { formatDate } from '../format';
import { EnrolForm } from '../practice/enrol-form';
import { RecordForm } from '../practice/record-form';
import { LoadError, Loading } from './status';

/** The practice's view: its indicators against anonymous peers, its measurement worklist, and the record forms. */
export function PracticePage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const [search, setSearch] = useSearchParams();
  const practices = user?.practices ?? [];
  const agb = practices.find((p) => p.agb === search.get('practice'))?.agb ?? practices[0]?.agb;
  const practice = practices.find((p) => p.agb === agb);

  const peers = useLoad(() => (agb ? getJson<PeerDistribution>(`/api/v1/insights/peer-distribution?practice=${agb}`) : Promise.resolve(undefined)), [agb]);
  const worklist = useLoad(() => (agb ? getJson<Worklist>(`/api/v1/insights/worklist?practice=${agb}`) : Promise.resolve(undefined)), [agb]);
  const patients = useLoad(() => (agb ? getAll<Patient>(`/api/v1/patients?practice=${agb}`) : Promise.resolve([] as Patient[])), [agb]);
  const insurers = useLoad(async () => {
    if (!agb) return [];
    const contracts = await getAll<Contract>(`/api/v1/contracts?practice=${agb}`);
    const names = await getAll<Insurer>('/api/v1/insurers').catch(() => [] as Insurer[]);
    const codes = [...new Set(contracts.map((c) => c.insurer))].sort();
    return codes.map((uzovi) => ({ uzovi, name: names.find((i) => i.uzovi === uzovi)?.name ?? uzovi }));
  }, [agb]);

  if (!practice) return <p>{t('app.forbidden')}</p>;
  const refresh = () => {
    peers.reload();
    worklist.reload();
  };

  return (
    <>
      <h1>{t('practice.title', { name: practice.name })}</h1>
      {practices.length > 1 && (
        <label className="no-print">
          {t('practice.choose')}{' '}
          <select value={agb} onChange={(e) => setSearch(new URLSearchParams({ practice: e.target.value }))}>
            {practices.map((p) => (
              <option key={p.agb} value={p.agb}>
                {p.name} ({p.agb})
              </option>
            ))}
          </select>
        </label>
      )}
      {peers.data && <FreshnessBar freshness={peers.data} canRecompute={false} onRefresh={refresh} />}
      <section aria-labelledby="peers-title">
        <h2 id="peers-title">{t('practice.peers')}</h2>
        <p>{t('practice.peersIntro')}</p>
        {peers.error && <LoadError error={peers.error} />}
        {!peers.data && !peers.error && <Loading />}
        {peers.data && <PeerSection data={peers.data} />}
      </section>
      <section aria-labelledby="worklist-title">
        <h2 id="worklist-title">{t('practice.worklist')}</h2>
        {worklist.error && <LoadError error={worklist.error} />}
        {worklist.data && <WorklistSection worklist={worklist.data} patients={patients.data ?? []} />}
      </section>
      <section aria-labelledby="forms-title" className="no-print">
        <h2 id="forms-title" className="visually-hidden">
          {t('forms.enrolTitle')}
        </h2>
        {insurers.data && agb && <EnrolForm practice={agb} insurers={insurers.data} onEnrolled={() => patients.reload()} />}
        {patients.data && <RecordForm patients={patients.data} onRecorded={refresh} />}
      </section>
    </>
  );
}

function PeerSection({ data }: { data: PeerDistribution }) {
  const { t, i18n } = useTranslation();
  const specs = useMemo(
    () => data.arms.map((arm) => ({ arm, strips: arm.indicators.map((indicator) => ({ indicator, spec: buildPeerStrip(indicator, arm.arm, t as Translate) })) })),
    [data, i18n.language],
  );
  return (
    <>
      {specs.map(({ arm, strips }) => (
        <div key={arm.arm} data-testid={`peers-${arm.arm}`}>
          <h3>{t(`armsLong.${arm.arm}`)}</h3>
          <p>{t('practice.peerCount', { count: arm.peerPractices, arm: t(`arms.${arm.arm}`).toLowerCase() })}</p>
          <div className="strip-grid">
            {strips.map(({ indicator, spec }) => (
              <ChartPanel
                key={indicator.code}
                title={t(`indicators.${indicator.code}`)}
                definition={indicator.code}
                description={spec.summary}
                spec={spec}
                height={70}
                csvName={`peers-${arm.arm}-${indicator.code}`}
                testId={`peer-${arm.arm}-${indicator.code}`}
              />
            ))}
          </div>
        </div>
      ))}
    </>
  );
}

function worklistTable(items: WorklistItem[], patients: Patient[], t: Translate, language: string): TableData {
  const refOf = new Map(patients.map((p) => [p.id, p.ref]));
  return {
    head: [t('practice.patient'), t('practice.milestone'), t('practice.status'), t('practice.missing'), t('practice.window'), t('practice.target')],
    rows: items.map((i) => {
      const ref = i.ref ?? refOf.get(i.patientId) ?? null;
      return [
        cell(ref ? `${ref} (${i.pseudonym})` : i.pseudonym, i.pseudonym),
        cell(t(`practice.milestones.${i.milestone}`), i.milestone),
        cell(t(`practice.statuses.${i.status}`), i.status),
        cell(i.missing.map((m) => t(`practice.missingItems.${m}`)).join(', '), i.missing.join(' ')),
        cell(`${formatDate(i.windowStart, language)} – ${formatDate(i.windowEnd, language)}`, `${i.windowStart};${i.windowEnd}`),
        cell(formatDate(i.target, language), i.target),
      ];
    }),
  };
}

function WorklistSection({ worklist, patients }: { worklist: Worklist; patients: Patient[] }) {
  const { t, i18n } = useTranslation();
  const [showMissed, setShowMissed] = useState(false);
  const items = worklist.items.filter((i) => showMissed || i.status !== 'MISSED');
  const table = worklistTable(items, patients, t as Translate, i18n.language);
  return (
    <>
      <p>{t('practice.worklistIntro', { asOf: formatDate(worklist.asOf, i18n.language) })}</p>
      <label className="inline no-print">
        <input type="checkbox" checked={showMissed} onChange={(e) => setShowMissed(e.target.checked)} /> {t('practice.showMissed')}
      </label>
      {items.length === 0 ? <p>{t('practice.worklistEmpty')}</p> : <DataTable table={table} caption={t('practice.worklist')} testId="worklist" />}
      <button type="button" className="link-button no-print" onClick={() => downloadCsv('werklijst', toCsv(table, i18n.language))}>
        {t('chart.csv')}
        <span className="visually-hidden">: {t('practice.worklist')}</span>
      </button>
    </>
  );
}
