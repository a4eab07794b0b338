import { useEffect, useState } from 'react';
import { getAll, getJson, Page } from '../api/client';
import type { Contract, Experiment, Practice } from '../api/types';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../format';
import { Loading } from './status';

interface PracticeRow extends Practice {
  arms: string[];
  insurers: number;
}

interface Overview {
  experiment: Experiment;
  practices: PracticeRow[];
}

/** Joins the experiment's contracts with the practices they bind: one row per practice, with its arm(s). */
function practiceRows(practices: Practice[], contracts: Contract[]): PracticeRow[] {
  const byAgb = new Map(practices.map((p) => [p.agb, p]));
  const rows = new Map<string, PracticeRow>();
  for (const contract of contracts) {
    const practice = byAgb.get(contract.practice);
    if (!practice) continue;
    const row = rows.get(practice.agb) ?? { ...practice, arms: [], insurers: 0 };
    if (!row.arms.includes(contract.arm)) row.arms.push(contract.arm);
    rows.set(practice.agb, row);
  }
  for (const row of rows.values()) {
    row.insurers = new Set(contracts.filter((c) => c.practice === row.agb).map((c) => c.insurer)).size;
    row.arms.sort();
  }
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name, 'nl'));
}

async function loadOverview(): Promise<Overview | null> {
  const experiments = await getJson<Page<Experiment>>('/api/v1/experiments?limit=1');
  const experiment = experiments.items[0];
  if (!experiment) return null;
  const [practices, contracts] = await Promise.all([
    getAll<Practice>('/api/v1/practices'),
    // An administrator may not read contracts; the practices are then listed without their arms.
    getAll<Contract>(`/api/v1/contracts?experiment=${encodeURIComponent(experiment.code)}`).catch(() => null),
  ]);
  if (contracts === null) {
    const rows = practices.map((p) => ({ ...p, arms: [], insurers: 0 })).sort((a, b) => a.name.localeCompare(b.name, 'nl'));
    return { experiment, practices: rows };
  }
  return { experiment, practices: practiceRows(practices, contracts) };
}

export function ExperimentOverview() {
  const { t, i18n } = useTranslation();
  const [overview, setOverview] = useState<Overview | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    loadOverview().then(setOverview, (e: Error) => setError(e.message));
  }, []);

  if (error) return <p role="alert">{t('app.loadError', { message: error })}</p>;
  if (overview === undefined) return <Loading />;
  if (overview === null) return <p>{t('app.noExperiment')}</p>;

  const { experiment, practices } = overview;
  const lang = i18n.language;
  return (
    <>
      <section aria-labelledby="experiment-title">
        <h1 id="experiment-title">{experiment.name}</h1>
        <dl className="facts">
          <dt>{t('overview.code')}</dt>
          <dd data-testid="experiment-code">{experiment.code}</dd>
          <dt>{t('overview.policy')}</dt>
          <dd>{experiment.policyReference ?? '–'}</dd>
          <dt>{t('overview.period')}</dt>
          <dd>
            {formatDate(experiment.start, lang)} – {formatDate(experiment.end, lang)}
          </dd>
          <dt>{t('overview.analysisDate')}</dt>
          <dd data-testid="analysis-date">{formatDate(experiment.analysisDate, lang)}</dd>
        </dl>
      </section>
      <section aria-labelledby="practices-title">
        <h2 id="practices-title">{t('overview.practices', { count: practices.length })}</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="practices-title">
          <table data-testid="practices">
            <thead>
              <tr>
                <th scope="col">{t('table.agb')}</th>
                <th scope="col">{t('table.practice')}</th>
                <th scope="col">{t('table.region')}</th>
                <th scope="col">{t('table.arm')}</th>
                <th scope="col">{t('overview.insurers')}</th>
              </tr>
            </thead>
            <tbody>
              {practices.map((p) => (
                <tr key={p.agb}>
                  <td>{p.agb}</td>
                  <td>{p.name}</td>
                  <td>{p.region}</td>
                  <td>{p.arms.map((a) => t(`arms.${a}`)).join(' + ') || '–'}</td>
                  <td>{p.insurers || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
