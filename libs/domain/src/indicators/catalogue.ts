import { KNGF_MAX_SESSIONS_FIRST_YEAR, MCID_STORED } from '../pricing/guideline-constants';
import type { IndicatorKind } from './comparison-types';
import { DAYS_PER_YEAR, ELIGIBLE_AFTER_DAYS, GUIDELINE_YEAR_DAYS, MEASUREMENT_WINDOWS } from './definitions';

/*
 * The indicator catalogue: every indicator of DOMAIN.md section 6 once, in the order the comparison lists them,
 * with what it counts in words (Dutch and English), the patient_facts columns that feed it and who may see it.
 * Everything else is derived from it: the code types, the comparison's order, the dashboard's chart groups and
 * indicator names, and the insurer's view of the comparison. The words are built from the constants of
 * definitions.ts and guideline-constants.ts, so a changed threshold changes the text with it.
 */

/** The headings of DOMAIN.md 6: "Cost and volume", "Quality", "Access and selection". */
export type IndicatorGroup = 'COST' | 'QUALITY' | 'ACCESS';

/**
 * The dashboard's charts: indicators that share a scale share a forest plot (one axis); WAIT_DAYS and
 * ENROLLED (no interval) are in the table only. In the order the dashboard shows them.
 */
export const INDICATOR_CHARTS = ['cost', 'sessions', 'shares', 'sixMwt', 'ccq', 'cat', 'rates'] as const;
export type IndicatorChart = (typeof INDICATOR_CHARTS)[number];

/** A text in both languages of the product (Dutch first: the users are Dutch). */
export interface Words {
  nl: string;
  en: string;
}

interface CatalogueEntry<Code extends string = string> {
  code: Code;
  kind: IndicatorKind;
  /** Euros are decimal numbers, proportions fractions 0..1, rates per patient-year. */
  unit: string;
  /** MCID in the indicator's unit (DOMAIN.md 1: 6MWT +30 m, CCQ -0.4, CAT -2), where one exists. */
  mcid: number | null;
  group: IndicatorGroup;
  chart: IndicatorChart | null;
  name: Words;
  /** Who or what is counted: the unit of n. */
  population: Words;
  numerator: Words;
  /** Null for a median or a count, which are not a ratio. */
  denominator: Words | null;
  /** The patient_facts columns the comparison reads for it (apps/api/src/modules/indicators/comparison.repository.ts). */
  factsColumns: readonly string[];
  /** Whether an insurer's comparison shows it: the euro indicators and the enrolment count they are read against. */
  insurerVisible: boolean;
}

const decimal = (value: number, language: keyof Words) =>
  language === 'nl' ? String(value).replace('.', ',').replace('-', '−') : String(value).replace('-', '−');

/** A day relative to the intake, e.g. 'intake − 30' or 'intake + 14'. */
const day = (offset: number) => (offset < 0 ? `intake − ${-offset}` : `intake + ${offset}`);

const ALL_PATIENTS: Words = { nl: 'Alle patiënten van de arm', en: 'All patients of the arm' };
const PATIENTS: Words = { nl: 'Aantal patiënten', en: 'Number of patients' };
const KNGF_PROFILES = Object.keys(KNGF_MAX_SESSIONS_FIRST_YEAR).join(', ');
const FU_3M = MEASUREMENT_WINDOWS.FOLLOWUP_3M;
const FU_12M = MEASUREMENT_WINDOWS.FOLLOWUP_12M;

function perCareQuarter(what: Words): Pick<CatalogueEntry, 'population' | 'numerator' | 'denominator'> {
  return {
    population: ALL_PATIENTS,
    numerator: {
      nl: `Som over de patiënten van (${what.nl} / aantal zorgkwartalen)`,
      en: `Sum over the patients of (${what.en} / number of care quarters)`,
    },
    denominator: PATIENTS,
  };
}

function followupComplete(months: 3 | 12, days: number): Pick<CatalogueEntry, 'population' | 'numerator' | 'denominator'> {
  const population: Words = {
    nl: `Patiënten met een intake minstens ${days} dagen geleden, zonder wie overleed vóór intake + ${days} dagen`,
    en: `Patients with an intake at least ${days} days ago, leaving out those who died before intake + ${days} days`,
  };
  const window = months === 3 ? FU_3M : FU_12M;
  return {
    population,
    numerator: {
      nl: `Patiënten met een 6MWT na ${months} maanden (${day(window.from)} t/m ${day(window.to)} dagen)`,
      en: `Patients with a ${months}-month 6MWT (${day(window.from)} to ${day(window.to)} days)`,
    },
    denominator: population,
  };
}

type Instrument = 'SIX_MWT' | 'CCQ' | 'CAT';
const INSTRUMENT: Record<Instrument, { label: string; unit: Words; base: string; column: string }> = {
  SIX_MWT: { label: '6MWT', unit: { nl: 'm', en: 'm' }, base: 'six_mwt_base', column: 'six_mwt' },
  CCQ: { label: 'CCQ', unit: { nl: 'punten', en: 'points' }, base: 'ccq_base_tenths', column: 'ccq' },
  CAT: { label: 'CAT', unit: { nl: 'punten', en: 'points' }, base: 'cat_base', column: 'cat' },
};
/** The MCID in the instrument's display unit: CCQ is stored in tenths. */
const MCID_SHOWN: Record<Instrument, number> = {
  SIX_MWT: MCID_STORED.SIX_MWT,
  CCQ: MCID_STORED.CCQ / 10,
  CAT: MCID_STORED.CAT,
};

function followupColumn(instrument: Instrument, months: 3 | 12): string {
  return instrument === 'CCQ' ? `ccq_${months}m_tenths` : `${INSTRUMENT[instrument].column}_${months}m`;
}

function bothValues(instrument: Instrument, months: 3 | 12): Words {
  const { label } = INSTRUMENT[instrument];
  return {
    nl: `Patiënten met een ${label}-nulmeting en een ${label}-vervolgmeting na ${months} maanden`,
    en: `Patients with a baseline ${label} and a ${months}-month follow-up ${label}`,
  };
}

function change(instrument: Instrument, months: 3 | 12): Pick<CatalogueEntry, 'population' | 'numerator' | 'denominator' | 'factsColumns'> {
  const { unit } = INSTRUMENT[instrument];
  const population = bothValues(instrument, months);
  return {
    population,
    numerator: {
      nl: `Som van (vervolgmeting − nulmeting), in ${unit.nl}`,
      en: `Sum of (follow-up − baseline), in ${unit.en}`,
    },
    denominator: population,
    factsColumns: [INSTRUMENT[instrument].base, followupColumn(instrument, months)],
  };
}

function responder(instrument: Instrument, months: 3 | 12): Pick<CatalogueEntry, 'population' | 'numerator' | 'denominator' | 'factsColumns'> {
  const mcid = MCID_SHOWN[instrument];
  const sign = instrument === 'SIX_MWT' ? '≥ +' : '≤ ';
  const { unit } = INSTRUMENT[instrument];
  const population = bothValues(instrument, months);
  return {
    population,
    numerator: {
      nl: `Patiënten van wie de verandering de MCID haalt: ${sign}${decimal(mcid, 'nl')} ${unit.nl}`,
      en: `Patients whose change reaches the MCID: ${sign}${decimal(mcid, 'en')} ${unit.en}`,
    },
    denominator: population,
    factsColumns: [INSTRUMENT[instrument].base, followupColumn(instrument, months)],
  };
}

function rate(events: Words, eventsColumn: string): Pick<CatalogueEntry, 'population' | 'numerator' | 'denominator' | 'factsColumns'> {
  return {
    population: ALL_PATIENTS,
    numerator: {
      nl: `${events.nl} gedateerd van de intake t/m het einde van de follow-up (einddatum, analysedatum of einde experiment, de vroegste)`,
      en: `${events.en} dated from the intake to the end of follow-up (end date, analysis date or experiment end, the earliest)`,
    },
    denominator: {
      nl: `Patiëntjaren: dagen follow-up / ${decimal(DAYS_PER_YEAR, 'nl')}`,
      en: `Patient-years: days of follow-up / ${DAYS_PER_YEAR}`,
    },
    factsColumns: [eventsColumn, 'followup_days'],
  };
}

const mean = { kind: 'MEAN', insurerVisible: false } as const;
const proportion = { kind: 'PROPORTION', insurerVisible: false, mcid: null } as const;
const ofPatients = 'fraction of patients';

const ENTRIES = [
  {
    code: 'PAID_PER_CARE_QUARTER',
    kind: 'MEAN',
    unit: 'EUR',
    mcid: null,
    group: 'COST',
    chart: 'cost',
    name: { nl: 'Betaald per zorgkwartaal', en: 'Paid per care quarter' },
    ...perCareQuarter({ nl: 'betaald bedrag in euro', en: 'amount paid in euros' }),
    factsColumns: ['paid_cents', 'care_quarters'],
    insurerVisible: true,
  },
  {
    code: 'COUNTERFACTUAL_PER_CARE_QUARTER',
    kind: 'MEAN',
    unit: 'EUR',
    mcid: null,
    group: 'COST',
    chart: 'cost',
    name: { nl: 'Contrafactisch per zorgkwartaal', en: 'Counterfactual per care quarter' },
    ...perCareQuarter({
      nl: 'prijs in euro onder de andere arm voor dezelfde zorg',
      en: 'price in euros under the other arm for the same care',
    }),
    factsColumns: ['counterfactual_cents', 'care_quarters'],
    insurerVisible: true,
  },
  {
    code: 'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT',
    kind: 'MEAN',
    unit: 'EUR',
    mcid: null,
    group: 'COST',
    chart: 'cost',
    name: { nl: 'Betaald min contrafactisch per patiënt', en: 'Paid minus counterfactual per patient' },
    population: ALL_PATIENTS,
    numerator: {
      nl: 'Som over de patiënten van (betaald − contrafactisch), in euro',
      en: 'Sum over the patients of (paid − counterfactual), in euros',
    },
    denominator: PATIENTS,
    factsColumns: ['paid_cents', 'counterfactual_cents'],
    insurerVisible: true,
  },
  {
    code: 'SESSIONS_PER_CARE_QUARTER',
    ...mean,
    unit: 'sessions',
    mcid: null,
    group: 'COST',
    chart: 'sessions',
    name: { nl: 'Behandelingen per zorgkwartaal', en: 'Sessions per care quarter' },
    ...perCareQuarter({ nl: 'aantal behandelingen', en: 'number of sessions' }),
    factsColumns: ['sessions', 'care_quarters'],
  },
  {
    code: 'LOW_INTENSITY_QUARTERS',
    ...proportion,
    unit: 'fraction of judged care quarters',
    group: 'COST',
    chart: 'shares',
    name: { nl: 'Kwartalen met één behandeling', en: 'Quarters with one session' },
    population: {
      nl: 'Zorgkwartalen na het eerste die op de analysedatum voorbij zijn (beoordeelde kwartalen) van alle patiënten van de arm',
      en: 'Care quarters after the first that have ended by the analysis date (judged quarters) of all patients of the arm',
    },
    numerator: { nl: 'Beoordeelde kwartalen met precies één behandeling', en: 'Judged quarters with exactly one session' },
    denominator: { nl: 'Beoordeelde kwartalen', en: 'Judged quarters' },
    factsColumns: ['judged_quarters', 'low_intensity_quarters'],
  },
  {
    code: 'ABOVE_GUIDELINE_VOLUME',
    ...proportion,
    unit: ofPatients,
    group: 'COST',
    chart: 'shares',
    name: { nl: 'Meer behandelingen dan de KNGF-richtlijn', en: 'More sessions than the KNGF guideline' },
    population: {
      nl: `Patiënten met een intake minstens ${ELIGIBLE_AFTER_DAYS.ABOVE_GUIDELINE_VOLUME} dagen geleden en profiel ${KNGF_PROFILES}`,
      en: `Patients with an intake at least ${ELIGIBLE_AFTER_DAYS.ABOVE_GUIDELINE_VOLUME} days ago and profile ${KNGF_PROFILES}`,
    },
    numerator: {
      nl: `Patiënten met meer behandelingen in de ${GUIDELINE_YEAR_DAYS} dagen vanaf de intake dan het KNGF-maximum van hun profiel`,
      en: `Patients with more sessions in the ${GUIDELINE_YEAR_DAYS} days from the intake than the KNGF maximum of their profile`,
    },
    denominator: {
      nl: `Patiënten met een intake minstens ${ELIGIBLE_AFTER_DAYS.ABOVE_GUIDELINE_VOLUME} dagen geleden en profiel ${KNGF_PROFILES}`,
      en: `Patients with an intake at least ${ELIGIBLE_AFTER_DAYS.ABOVE_GUIDELINE_VOLUME} days ago and profile ${KNGF_PROFILES}`,
    },
    factsColumns: ['guideline_eligible', 'above_guideline'],
  },
  {
    code: 'BASELINE_COMPLETE',
    ...proportion,
    unit: ofPatients,
    group: 'QUALITY',
    chart: 'shares',
    name: { nl: 'Nulmeting compleet', en: 'Baseline complete' },
    population: {
      nl: `Patiënten met een intake minstens ${ELIGIBLE_AFTER_DAYS.BASELINE_COMPLETE} dagen geleden`,
      en: `Patients with an intake at least ${ELIGIBLE_AFTER_DAYS.BASELINE_COMPLETE} days ago`,
    },
    numerator: {
      nl: `Patiënten met een 6MWT en een CCQ of CAT als nulmeting (${day(MEASUREMENT_WINDOWS.BASELINE.from)} t/m ${day(MEASUREMENT_WINDOWS.BASELINE.to)} dagen)`,
      en: `Patients with a baseline 6MWT and a baseline CCQ or CAT (${day(MEASUREMENT_WINDOWS.BASELINE.from)} to ${day(MEASUREMENT_WINDOWS.BASELINE.to)} days)`,
    },
    denominator: {
      nl: `Patiënten met een intake minstens ${ELIGIBLE_AFTER_DAYS.BASELINE_COMPLETE} dagen geleden`,
      en: `Patients with an intake at least ${ELIGIBLE_AFTER_DAYS.BASELINE_COMPLETE} days ago`,
    },
    factsColumns: ['baseline_eligible', 'baseline_complete'],
  },
  {
    code: 'FOLLOWUP_3M_COMPLETE',
    ...proportion,
    unit: ofPatients,
    group: 'QUALITY',
    chart: 'shares',
    name: { nl: 'Vervolgmeting 3 maanden', en: 'Follow-up at 3 months' },
    ...followupComplete(3, ELIGIBLE_AFTER_DAYS.FOLLOWUP_3M_COMPLETE),
    factsColumns: ['followup_3m_eligible', 'six_mwt_3m'],
  },
  {
    code: 'FOLLOWUP_12M_COMPLETE',
    ...proportion,
    unit: ofPatients,
    group: 'QUALITY',
    chart: 'shares',
    name: { nl: 'Vervolgmeting 12 maanden', en: 'Follow-up at 12 months' },
    ...followupComplete(12, ELIGIBLE_AFTER_DAYS.FOLLOWUP_12M_COMPLETE),
    factsColumns: ['followup_12m_eligible', 'six_mwt_12m'],
  },
  {
    code: 'SIX_MWT_CHANGE_3M',
    ...mean,
    unit: 'm',
    mcid: MCID_SHOWN.SIX_MWT,
    group: 'QUALITY',
    chart: 'sixMwt',
    name: { nl: 'Verandering 6MWT na 3 maanden', en: '6MWT change at 3 months' },
    ...change('SIX_MWT', 3),
  },
  {
    code: 'SIX_MWT_CHANGE_12M',
    ...mean,
    unit: 'm',
    mcid: MCID_SHOWN.SIX_MWT,
    group: 'QUALITY',
    chart: 'sixMwt',
    name: { nl: 'Verandering 6MWT na 12 maanden', en: '6MWT change at 12 months' },
    ...change('SIX_MWT', 12),
  },
  {
    code: 'CCQ_CHANGE_3M',
    ...mean,
    unit: 'CCQ points',
    mcid: MCID_SHOWN.CCQ,
    group: 'QUALITY',
    chart: 'ccq',
    name: { nl: 'Verandering CCQ na 3 maanden', en: 'CCQ change at 3 months' },
    ...change('CCQ', 3),
  },
  {
    code: 'CCQ_CHANGE_12M',
    ...mean,
    unit: 'CCQ points',
    mcid: MCID_SHOWN.CCQ,
    group: 'QUALITY',
    chart: 'ccq',
    name: { nl: 'Verandering CCQ na 12 maanden', en: 'CCQ change at 12 months' },
    ...change('CCQ', 12),
  },
  {
    code: 'CAT_CHANGE_3M',
    ...mean,
    unit: 'CAT points',
    mcid: MCID_SHOWN.CAT,
    group: 'QUALITY',
    chart: 'cat',
    name: { nl: 'Verandering CAT na 3 maanden', en: 'CAT change at 3 months' },
    ...change('CAT', 3),
  },
  {
    code: 'CAT_CHANGE_12M',
    ...mean,
    unit: 'CAT points',
    mcid: MCID_SHOWN.CAT,
    group: 'QUALITY',
    chart: 'cat',
    name: { nl: 'Verandering CAT na 12 maanden', en: 'CAT change at 12 months' },
    ...change('CAT', 12),
  },
  {
    code: 'SIX_MWT_RESPONDER_3M',
    ...proportion,
    unit: ofPatients,
    group: 'QUALITY',
    chart: 'shares',
    name: { nl: 'Responders 6MWT na 3 maanden', en: '6MWT responders at 3 months' },
    ...responder('SIX_MWT', 3),
  },
  {
    code: 'SIX_MWT_RESPONDER_12M',
    ...proportion,
    unit: ofPatients,
    group: 'QUALITY',
    chart: 'shares',
    name: { nl: 'Responders 6MWT na 12 maanden', en: '6MWT responders at 12 months' },
    ...responder('SIX_MWT', 12),
  },
  {
    code: 'CCQ_RESPONDER_3M',
    ...proportion,
    unit: ofPatients,
    group: 'QUALITY',
    chart: 'shares',
    name: { nl: 'Responders CCQ na 3 maanden', en: 'CCQ responders at 3 months' },
    ...responder('CCQ', 3),
  },
  {
    code: 'CCQ_RESPONDER_12M',
    ...proportion,
    unit: ofPatients,
    group: 'QUALITY',
    chart: 'shares',
    name: { nl: 'Responders CCQ na 12 maanden', en: 'CCQ responders at 12 months' },
    ...responder('CCQ', 12),
  },
  {
    code: 'CAT_RESPONDER_3M',
    ...proportion,
    unit: ofPatients,
    group: 'QUALITY',
    chart: 'shares',
    name: { nl: 'Responders CAT na 3 maanden', en: 'CAT responders at 3 months' },
    ...responder('CAT', 3),
  },
  {
    code: 'CAT_RESPONDER_12M',
    ...proportion,
    unit: ofPatients,
    group: 'QUALITY',
    chart: 'shares',
    name: { nl: 'Responders CAT na 12 maanden', en: 'CAT responders at 12 months' },
    ...responder('CAT', 12),
  },
  {
    code: 'EXACERBATION_RATE',
    kind: 'RATE',
    unit: 'per patient-year',
    mcid: null,
    group: 'QUALITY',
    chart: 'rates',
    name: { nl: 'Exacerbaties per patiëntjaar', en: 'Exacerbations per patient-year' },
    ...rate({ nl: 'Matige en ernstige exacerbaties', en: 'Moderate and severe exacerbations' }, 'exacerbations'),
    insurerVisible: false,
  },
  {
    code: 'ADMISSION_RATE',
    kind: 'RATE',
    unit: 'per patient-year',
    mcid: null,
    group: 'QUALITY',
    chart: 'rates',
    name: { nl: 'Ziekenhuisopnamen per patiëntjaar', en: 'Hospital admissions per patient-year' },
    ...rate({ nl: 'Ziekenhuisopnamen', en: 'Hospital admissions' }, 'admissions'),
    insurerVisible: false,
  },
  {
    code: 'WAIT_DAYS',
    kind: 'MEDIAN',
    unit: 'days',
    mcid: null,
    group: 'ACCESS',
    chart: null,
    name: { nl: 'Wachttijd in dagen (mediaan)', en: 'Waiting days (median)' },
    population: ALL_PATIENTS,
    numerator: {
      nl: 'Mediaan van (intakedatum − verwijsdatum) in dagen; P90 volgens nearest rank',
      en: 'Median of (intake date − referral date) in days; P90 by nearest rank',
    },
    denominator: null,
    factsColumns: ['wait_days'],
    insurerVisible: false,
  },
  {
    code: 'ENROLLED',
    kind: 'COUNT',
    unit: 'patients',
    mcid: null,
    group: 'ACCESS',
    chart: null,
    name: { nl: 'Ingeschreven patiënten', en: 'Enrolled patients' },
    population: ALL_PATIENTS,
    numerator: PATIENTS,
    denominator: null,
    factsColumns: ['patient_id'],
    insurerVisible: true,
  },
] as const satisfies readonly CatalogueEntry[];

type Entry = (typeof ENTRIES)[number];
type CodeOfKind<K extends IndicatorKind> = Extract<Entry, { kind: K }>['code'];

export type IndicatorCode = Entry['code'];
export type MeanIndicator = CodeOfKind<'MEAN'>;
export type ProportionIndicator = CodeOfKind<'PROPORTION'>;
export type RateIndicator = CodeOfKind<'RATE'>;

export type IndicatorDefinition = CatalogueEntry<IndicatorCode>;

/** Every indicator of DOMAIN.md section 6, in the order the comparison lists them. */
export const INDICATORS: readonly IndicatorDefinition[] = ENTRIES;

function codesOf<K extends IndicatorKind>(kind: K): readonly CodeOfKind<K>[] {
  return ENTRIES.filter((e) => e.kind === kind).map((e) => e.code as CodeOfKind<K>);
}

/** The codes each estimator of DOMAIN.md 7 takes (means, proportions, pooled rates), in catalogue order. */
export const MEAN_INDICATORS = codesOf('MEAN');
export const PROPORTION_INDICATORS = codesOf('PROPORTION');
export const RATE_INDICATORS = codesOf('RATE');

/** The indicators an insurer's comparison shows (README "Access control"). */
export const INSURER_VISIBLE_INDICATORS: ReadonlySet<IndicatorCode> = new Set(
  INDICATORS.filter((i) => i.insurerVisible).map((i) => i.code),
);

/** The dashboard's charts with their indicators, in catalogue order. */
export const INDICATOR_CHART_GROUPS: readonly { key: IndicatorChart; codes: readonly IndicatorCode[] }[] =
  INDICATOR_CHARTS.map((key) => ({ key, codes: INDICATORS.filter((i) => i.chart === key).map((i) => i.code) }));

/** The indicators' names in one language, by code (the dashboard's labels). */
export function indicatorNames(language: keyof Words): Record<IndicatorCode, string> {
  return Object.fromEntries(INDICATORS.map((i) => [i.code, i.name[language]])) as Record<IndicatorCode, string>;
}

/**
 * The indicators of a practice's peer benchmark (DOMAIN.md 7: against the other practices of its arm), in the
 * order the benchmark shows them: volume and cost first, then completeness, outcome and access. A subset of the
 * catalogue in an order of its own, so it is listed here beside it rather than derived.
 */
export const PEER_BENCHMARK_INDICATORS = [
  'ENROLLED',
  'PAID_PER_CARE_QUARTER',
  'PAID_MINUS_COUNTERFACTUAL_PER_PATIENT',
  'SESSIONS_PER_CARE_QUARTER',
  'LOW_INTENSITY_QUARTERS',
  'BASELINE_COMPLETE',
  'FOLLOWUP_3M_COMPLETE',
  'FOLLOWUP_12M_COMPLETE',
  'SIX_MWT_CHANGE_3M',
  'SIX_MWT_CHANGE_12M',
  'WAIT_DAYS',
  'EXACERBATION_RATE',
] as const satisfies readonly IndicatorCode[];
