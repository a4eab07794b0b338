import type { Instrument } from '../model';

/**
 * KNGF guideline COPD (2020): recommended maximum number of treatments in the first year per profile.
 * Profile 6 is absent on purpose: it goes to pulmonary rehabilitation in secondary care. Used by the
 * over-treatment watch ABOVE_GUIDELINE_VOLUME (DOMAIN.md 1 and 6).
 */
export const KNGF_MAX_SESSIONS_FIRST_YEAR: Readonly<Record<1 | 2 | 3 | 4 | 5, number>> = {
  1: 0,
  2: 6,
  3: 42,
  4: 62,
  5: 70,
};

/**
 * Minimal clinically important differences (DOMAIN.md 1), in each instrument's stored unit so comparisons are
 * exact: 6MWT +30 m, CCQ -0.4 = -4 tenths, CAT -2 points. Lower CCQ/CAT is better, hence the negative sign:
 * a patient responds when change >= MCID for 6MWT and change <= MCID for CCQ and CAT.
 */
export const MCID_STORED: Readonly<Record<Extract<Instrument, 'SIX_MWT' | 'CCQ' | 'CAT'>, number>> = {
  SIX_MWT: 30,
  CCQ: -4,
  CAT: -2,
};
