import type { Translate } from '../charts/chart-types';
import { DASH, formatNumber, formatValue } from '../format';

/*
 * How a changed figure of a snapshot comparison reads (pure, shared by the comparison view and its test). The API
 * names a figure by its path in the comparison entry: `BUNDLE.n`, `FFS.value`, `BUNDLE.ciLow`, `difference.value`,
 * `difference.mdd`, `clustered.difference.ciHigh` (libs/domain comparison-changes.ts).
 */

/** 'BUNDLE.ciLow' -> 'Bundel: 95%-BI ondergrens'; 'clustered.difference.ciHigh' -> 'Verschil, geclusterd: 95%-BI bovengrens'. */
export function figureName(figure: string, t: Translate): string {
  const parts = figure.split('.');
  const last = parts[parts.length - 1];
  const head = parts[0] === 'clustered' ? t('snapshots.changes.clustered') : parts[0] === 'difference' ? t('snapshots.changes.difference') : t(`arms.${parts[0]}`);
  const part = ['n', 'value', 'ciLow', 'ciHigh', 'mdd'].includes(last) ? t(`snapshots.changes.parts.${last}`) : last;
  return `${head}: ${part}`;
}

/**
 * A figure's value in the indicator's unit, as the comparison table shows it: counts (n) as whole numbers, an
 * arm's value and interval as values, the difference, its interval and MDD as differences (percentage points for
 * shares); with `change`, the change after - before as a difference with its sign ('+' when it rose).
 */
export function figureValue(figure: string, value: number | null, unit: string, change = false): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  const sign = change && value > 0 ? '+' : '';
  if (figure.endsWith('.n')) return `${sign}${formatNumber(value)}`;
  const isDifference = change || !/^(BUNDLE|FFS)\./.test(figure);
  const text = formatValue(value, unit, isDifference);
  // Euros carry their sign after the symbol, as nl-NL writes a negative amount: "€ +7,50" beside "€ -7,50".
  return sign && text.startsWith('€') ? text.replace(/^€(\s)/, `€$1${sign}`) : `${sign}${text}`;
}
