import { INDICATORS } from '@copd/domain';
import type { TableData } from '../charts/chart-types';
import { DefinitionLink } from './definition-link';

/** A row whose first cell carries an indicator code names that indicator: its name links to the definition. */
const INDICATOR_CODES = new Set<unknown>(INDICATORS.map((i) => i.code));

export function DataTable({ table, caption, testId }: { table: TableData; caption?: string; testId?: string }) {
  return (
    // Focusable so keyboard users can scroll a wide table sideways.
    <div className="table-scroll" tabIndex={0} role="region" aria-label={caption ?? table.head.join(', ')}>
      <table data-testid={testId}>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            {table.head.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => (
            <tr key={r}>
              {row.map((c, i) =>
                i === 0 ? (
                  <th key={i} scope="row" data-value={c.value ?? ''}>
                    {INDICATOR_CODES.has(c.value) ? <DefinitionLink code={String(c.value)}>{c.text}</DefinitionLink> : c.text}
                  </th>
                ) : (
                  <td key={i} data-value={c.value ?? ''}>
                    {c.text}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
