import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChartSpec } from '../charts/chart-types';
import { downloadCsv, toCsv } from '../charts/csv';
import { ChartCanvas } from './chart-canvas';
import { DataTable } from './data-table';
import { DefinitionLink } from './definition-link';

export interface ChartPanelProps {
  title: string;
  /** Text alternative; the chart's summary is appended. */
  description: string;
  spec: ChartSpec;
  height: number;
  csvName: string;
  testId?: string;
  /** Show the table open (printing opens every table anyway). */
  tableOpen?: boolean;
  /** The indicator the title names: the title then links to its definition. */
  definition?: string;
}

// Kept here for the pages that import it from the panel; it lives beside toCsv.
export { downloadCsv };

/** A chart with its title, text alternative, the same numbers as a table and a CSV download. */
export function ChartPanel({ title, description, spec, height, csvName, testId, tableOpen, definition }: ChartPanelProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const empty = spec.table.rows.length === 0;
  const csv = useMemo(() => toCsv(spec.table, i18n.language), [spec, i18n.language]);
  return (
    <figure className="chart-panel" aria-labelledby={`${id}-title`} data-testid={testId}>
      <figcaption id={`${id}-title`} className="chart-title">
        {definition ? <DefinitionLink code={definition}>{title}</DefinitionLink> : title}
      </figcaption>
      {empty ? <p>{t('chart.noData')}</p> : <ChartCanvas config={spec.config as never} label={description} height={height} />}
      <details className="chart-table" open={tableOpen}>
        <summary>{t('chart.table')}</summary>
        <DataTable table={spec.table} caption={title} />
      </details>
      <button type="button" className="link-button no-print" onClick={() => downloadCsv(csvName, csv)} disabled={empty}>
        {t('chart.csv')}
        <span className="visually-hidden">: {title}</span>
      </button>
    </figure>
  );
}
