import { MCID_STORED } from '../pricing/guideline-constants';
import type { IndicatorCode, IndicatorKind } from './comparison-types';

export interface IndicatorDefinition {
  code: IndicatorCode;
  kind: IndicatorKind;
  unit: string;
  /** MCID in the indicator's unit (DOMAIN.md 1: 6MWT +30 m, CCQ -0.4, CAT -2), where one exists. */
  mcid: number | null;
}

/**
 * Every indicator of DOMAIN.md section 6, in the order the comparison lists them.
 * Euros are decimal numbers, proportions fractions 0..1, rates per patient-year.
 */
export const INDICATORS: readonly IndicatorDefinition[] = [
  { code: 'PAID_PER_CARE_QUARTER', kind: 'MEAN', unit: 'EUR', mcid: null },
  { code: 'COUNTERFACTUAL_PER_CARE_QUARTER', kind: 'MEAN', unit: 'EUR', mcid: null },
  { code: 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT', kind: 'MEAN', unit: 'EUR', mcid: null },
  { code: 'SESSIONS_PER_CARE_QUARTER', kind: 'MEAN', unit: 'sessions', mcid: null },
  { code: 'LOW_INTENSITY_QUARTERS', kind: 'PROPORTION', unit: 'fraction of judged care quarters', mcid: null },
  { code: 'ABOVE_GUIDELINE_VOLUME', kind: 'PROPORTION', unit: 'fraction of patients', mcid: null },
  { code: 'BASELINE_COMPLETE', kind: 'PROPORTION', unit: 'fraction of patients', mcid: null },
  { code: 'FOLLOWUP_3M_COMPLETE', kind: 'PROPORTION', unit: 'fraction of patients', mcid: null },
  { code: 'FOLLOWUP_12M_COMPLETE', kind: 'PROPORTION', unit: 'fraction of patients', mcid: null },
  { code: 'SIX_MWT_CHANGE_3M', kind: 'MEAN', unit: 'm', mcid: MCID_STORED.SIX_MWT },
  { code: 'SIX_MWT_CHANGE_12M', kind: 'MEAN', unit: 'm', mcid: MCID_STORED.SIX_MWT },
  { code: 'CCQ_CHANGE_3M', kind: 'MEAN', unit: 'CCQ points', mcid: MCID_STORED.CCQ / 10 },
  { code: 'CCQ_CHANGE_12M', kind: 'MEAN', unit: 'CCQ points', mcid: MCID_STORED.CCQ / 10 },
  { code: 'CAT_CHANGE_3M', kind: 'MEAN', unit: 'CAT points', mcid: MCID_STORED.CAT },
  { code: 'CAT_CHANGE_12M', kind: 'MEAN', unit: 'CAT points', mcid: MCID_STORED.CAT },
  { code: 'SIX_MWT_RESPONDER_3M', kind: 'PROPORTION', unit: 'fraction of patients', mcid: null },
  { code: 'SIX_MWT_RESPONDER_12M', kind: 'PROPORTION', unit: 'fraction of patients', mcid: null },
  { code: 'CCQ_RESPONDER_3M', kind: 'PROPORTION', unit: 'fraction of patients', mcid: null },
  { code: 'CCQ_RESPONDER_12M', kind: 'PROPORTION', unit: 'fraction of patients', mcid: null },
  { code: 'CAT_RESPONDER_3M', kind: 'PROPORTION', unit: 'fraction of patients', mcid: null },
  { code: 'CAT_RESPONDER_12M', kind: 'PROPORTION', unit: 'fraction of patients', mcid: null },
  { code: 'EXACERBATION_RATE', kind: 'RATE', unit: 'per patient-year', mcid: null },
  { code: 'ADMISSION_RATE', kind: 'RATE', unit: 'per patient-year', mcid: null },
  { code: 'WAIT_DAYS', kind: 'MEDIAN', unit: 'days', mcid: null },
  { code: 'ENROLLED', kind: 'COUNT', unit: 'patients', mcid: null },
];
