import type { IsoDate, Violation } from '../model';

export interface ExperimentPeriod {
  start: IsoDate;
  end: IsoDate;
  analysisDate: IsoDate;
}

/**
 * Rules for an experiment's period: start <= end, and an analysis ("as of") date on or after the start.
 * An analysis date after the end is allowed: the final evaluation is made after the experiment closes.
 */
export function validateExperimentPeriod(p: ExperimentPeriod): Violation[] {
  const violations: Violation[] = [];
  if (p.start > p.end) {
    violations.push({
      code: 'EXPERIMENT.END_BEFORE_START',
      path: 'end',
      message: `De einddatum (${p.end}) ligt vóór de startdatum (${p.start}).`,
      params: { start: p.start, end: p.end },
    });
  }
  if (p.analysisDate < p.start) {
    violations.push({
      code: 'EXPERIMENT.ANALYSIS_BEFORE_START',
      path: 'analysisDate',
      message: `De peildatum (${p.analysisDate}) ligt vóór de start van het experiment (${p.start}).`,
      params: { start: p.start, analysisDate: p.analysisDate },
    });
  }
  return violations;
}
