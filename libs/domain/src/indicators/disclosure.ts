import type { Arm } from '../model';
import type { ClusteredArm } from '../statistics/clustered-intervals';
import type { ArmResult, ComparisonResult, DifferenceResult, IndicatorResult } from './comparison-types';

/**
 * Smallest number of patients behind an aggregate shown to someone who may not see those patients' records
 * (an insurer always; a practice for figures of other practices' patients). Below it a mean, share or sum is
 * close to one person's value: with 1 patient it is that value, and with 2-4 a reader who knows the others
 * (a colleague, the insurer that pays them) can subtract them. 5 is the cell size the Dutch statistical
 * agencies and the NZa's open-data releases use for health data (CBS "minimaal 5 waarnemingen"); it is
 * the same threshold as MIN_PEER_PRACTICES, applied to patients instead of practices.
 */
export const MIN_CELL_SIZE = 5;

/** Whether an aggregate over this many patients must be withheld (0 is shown: an empty cell reveals nobody). */
export function isSmallCell(patients: number): boolean {
  return patients > 0 && patients < MIN_CELL_SIZE;
}

const WITHHELD_ARM: Omit<ArmResult, 'n'> = {
  value: null,
  ciLow: null,
  ciHigh: null,
  adjusted: null,
  adjustedNote: `withheld: fewer than ${MIN_CELL_SIZE} patients`,
};

const NO_DIFFERENCE: DifferenceResult = { value: null, ciLow: null, ciHigh: null, mdd: null };

/** An indicator as shown to a reader who may not see the patients: `withheld`, when present, names the arms below the threshold. */
export type DisclosedIndicator = IndicatorResult & { withheld?: Arm[] };

/**
 * The comparison for a reader who may not see the patients' records. Per indicator, an arm whose n is
 * between 1 and MIN_CELL_SIZE - 1 keeps its n but loses its value, interval and adjusted value, and then the
 * difference between the arms goes too (with the other arm's value it would give the withheld one back).
 * The filters that made a cell small are applied before this, so a narrow filter cannot slip through.
 * The practice-clustered interval of a withheld arm and the clustered difference go the same way; the number
 * of practices stays (as the arm's n does).
 */
export function withholdSmallCells(
  result: ComparisonResult,
): Omit<ComparisonResult, 'indicators'> & { indicators: DisclosedIndicator[] } {
  return { ...result, indicators: result.indicators.map(withholdIndicator) };
}

function withholdIndicator(indicator: IndicatorResult): DisclosedIndicator {
  const withheld = (['BUNDLE', 'FFS'] as const).filter((arm) => isSmallCell(indicator.arms[arm].n));
  if (withheld.length === 0) return indicator;
  const { code, unit, kind, mcid, arms, clustered } = indicator;
  const arm = (a: Arm): ArmResult =>
    withheld.includes(a)
      ? { n: arms[a].n, ...WITHHELD_ARM, ...('p90' in arms[a] ? { p90: null } : {}) }
      : arms[a];
  const clusteredArm = (a: Arm): ClusteredArm =>
    withheld.includes(a)
      ? { clusters: clustered!.arms[a].clusters, ciLow: null, ciHigh: null, designEffect: null }
      : clustered!.arms[a];
  return {
    code,
    unit,
    kind,
    mcid,
    arms: { BUNDLE: arm('BUNDLE'), FFS: arm('FFS') },
    difference: NO_DIFFERENCE,
    clustered: clustered && {
      arms: { BUNDLE: clusteredArm('BUNDLE'), FFS: clusteredArm('FFS') },
      difference: { ciLow: null, ciHigh: null, df: null, mdd: null },
    },
    withheld,
  };
}
