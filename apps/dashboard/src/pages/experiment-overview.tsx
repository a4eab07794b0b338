import { useEffect, useState } from 'react';
import { getAll, getJson, Page } from '../api/client';
import type { Contract, Experiment, Practice } from '../api/types';
import { formatDate } from '../format';

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
    getAll<Contract>(`/api/v1/contracts?experiment=${encodeURIComponent(experiment.code)}`),
  ]);
  return { experiment, practices: practiceRows(practices, contracts) };
}

const ARM_LABEL: Record<string, string> = { BUNDLE: 'Bundel', FFS: 'Per sessie' };

export function ExperimentOverview() {
  const [overview, setOverview] = useState<Overview | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    loadOverview().then(setOverview, (e: Error) => setError(e.message));
  }, []);

  if (error) return <p role="alert">De gegevens konden niet worden geladen: {error}</p>;
  if (overview === undefined) return <p aria-busy="true">Laden…</p>;
  if (overview === null) return <p>Er is nog geen experiment vastgelegd.</p>;

  const { experiment, practices } = overview;
  return (
    <>
      <section aria-labelledby="experiment-title">
        <h2 id="experiment-title">{experiment.name}</h2>
        <dl className="facts">
          <dt>Code</dt>
          <dd data-testid="experiment-code">{experiment.code}</dd>
          <dt>Beleidsregel</dt>
          <dd>{experiment.policyReference ?? '–'}</dd>
          <dt>Looptijd</dt>
          <dd>
            {formatDate(experiment.start)} t/m {formatDate(experiment.end)}
          </dd>
          <dt>Peildatum</dt>
          <dd data-testid="analysis-date">{formatDate(experiment.analysisDate)}</dd>
        </dl>
      </section>
      <section aria-labelledby="practices-title">
        <h2 id="practices-title">Praktijken ({practices.length})</h2>
        <table data-testid="practices">
          <thead>
            <tr>
              <th scope="col">AGB-code</th>
              <th scope="col">Naam</th>
              <th scope="col">Regio</th>
              <th scope="col">Arm</th>
              <th scope="col">Verzekeraars</th>
            </tr>
          </thead>
          <tbody>
            {practices.map((p) => (
              <tr key={p.agb}>
                <td>{p.agb}</td>
                <td>{p.name}</td>
                <td>{p.region}</td>
                <td>{p.arms.map((a) => ARM_LABEL[a] ?? a).join(' + ')}</td>
                <td>{p.insurers}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
