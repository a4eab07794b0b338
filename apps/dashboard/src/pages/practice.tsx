import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { getAll, getJson } from '../api/client';
import type { Contract, Insurer, Patient, PeerDistribution } from '../api/types';
import { Translate } from '../charts/chart-types';
import { buildPeerStrip } from '../charts/peer-charts';
import { useAuth } from '../auth/auth-context';
import { ChartPanel } from '../components/chart-panel';
import { FreshnessBar } from '../components/freshness-bar';
import { useLoad } from '../components/use-load';
import { formatDate } from '../format';
import { EnrolForm } from '../practice/enrol-form';
import { RecordForm } from '../practice/record-form';
import { RECORD_FORM_ANCHOR } from '../practice/record-links';
import { TodayWorklist, WorklistSection } from '../practice/worklist';
import { LoadError, Loading } from './status';

/**
 * The practice's daily page: first its worklist for today and the forms to record with (reachable at once on a
 * phone through the section links at the top), then its indicators against anonymous peers as of the analysis date.
 */
export function PracticePage() {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const [search, setSearch] = useSearchParams();
  const practices = user?.practices ?? [];
  const agb = practices.find((p) => p.agb === search.get('practice'))?.agb ?? practices[0]?.agb;
  const practice = practices.find((p) => p.agb === agb);

  const peers = useLoad(() => (agb ? getJson<PeerDistribution>(`/api/v1/insights/peer-distribution?practice=${agb}`) : Promise.resolve(undefined)), [agb]);
  const worklist = useLoad(() => (agb ? getJson<TodayWorklist>(`/api/v1/insights/worklist?practice=${agb}`) : Promise.resolve(undefined)), [agb]);
  const patients = useLoad(() => (agb ? getAll<Patient>(`/api/v1/patients?practice=${agb}`) : Promise.resolve([] as Patient[])), [agb]);
  const insurers = useLoad(async () => {
    if (!agb) return [];
    const contracts = await getAll<Contract>(`/api/v1/contracts?practice=${agb}`);
    const names = await getAll<Insurer>('/api/v1/insurers').catch(() => [] as Insurer[]);
    const codes = [...new Set(contracts.map((c) => c.insurer))].sort();
    return codes.map((uzovi) => ({ uzovi, name: names.find((i) => i.uzovi === uzovi)?.name ?? uzovi }));
  }, [agb]);

  if (!practice || !agb) return <p>{t('app.forbidden')}</p>;
  const refresh = () => {
    peers.reload();
    worklist.reload();
  };
  const patientsHref = practices.length > 1 ? `/patienten?practice=${agb}` : '/patienten';

  return (
    <>
      <h1>{t('practice.title', { name: practice.name })}</h1>
      <nav aria-label={t('practice.sections')} className="page-tabs no-print" data-testid="practice-tabs">
        <ul>
          <li>
            <a href="#werklijst">{t('practice.tabs.worklist')}</a>
          </li>
          <li>
            <a href={`#${RECORD_FORM_ANCHOR}`}>{t('practice.tabs.record')}</a>
          </li>
          <li>
            <Link to={patientsHref}>{t('practice.tabs.patients')}</Link>
          </li>
          <li>
            <a href="#vergelijking">{t('practice.tabs.peers')}</a>
          </li>
        </ul>
      </nav>
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
      <section aria-labelledby="worklist-title" id="werklijst" className="page-section">
        <h2 id="worklist-title">{t('practice.worklist')}</h2>
        {worklist.error && <LoadError error={worklist.error} onRetry={worklist.reload} />}
        {!worklist.data && !worklist.error && <Loading />}
        {worklist.data && <WorklistSection worklist={worklist.data} />}
      </section>
      <section aria-labelledby="forms-title" id={RECORD_FORM_ANCHOR} className="no-print page-section">
        <h2 id="forms-title">{t('practice.recordSection')}</h2>
        {patients.data && <RecordForm patients={patients.data} practice={agb} onRecorded={refresh} />}
        {insurers.data && <EnrolForm practice={agb} insurers={insurers.data} onEnrolled={() => patients.reload()} />}
      </section>
      <section aria-labelledby="peers-title" id="vergelijking" className="page-section">
        <h2 id="peers-title">{t('practice.peers')}</h2>
        {peers.data && (
          <p data-testid="peers-judged-on">{t('practice.peersJudgedOn', { date: formatDate(peers.data.analysisDate, i18n.language) })}</p>
        )}
        {peers.data && <FreshnessBar freshness={peers.data} canRecompute={false} onRefresh={refresh} />}
        <p>{t('practice.peersIntro')}</p>
        {peers.error && <LoadError error={peers.error} onRetry={peers.reload} />}
        {!peers.data && !peers.error && <Loading />}
        {peers.data && <PeerSection data={peers.data} />}
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
