import { ARM_WORDS, type Arm, type IndicatorGroup } from '@copd/domain';

/** The report's languages: Dutch by default (the users are Dutch), English on request. */
export const REPORT_LANGUAGES = ['nl', 'en'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];
export const REPORT_FORMATS = ['html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Every fixed text of the monitoring report in both languages. The indicator names come from the catalogue
 * (libs/domain indicators/catalogue.ts), the arm names and phrases from the dashboard's locales, so the report
 * and the dashboard say the same thing.
 */
export interface ReportWords {
  title: string;
  experiment: string;
  analysisDate: string;
  snapshot: string;
  takenAt: string;
  takenBy: string;
  digest: string;
  codeVersion: string;
  generated: string;
  contents: string;
  arms: Record<Arm, string>;
  armsLong: Record<Arm, string>;
  summary: string;
  summaryIntro: string;
  cost: string;
  costRow: { paid: string; counterfactual: string };
  difference: string;
  /** The difference row of an indicator table, under the arms. */
  differenceShort: string;
  /** Before a clustered figure in a narrow cell. */
  clusteredShort: string;
  ci: string;
  clusteredCi: string;
  /** The summary's heading over the quality and access results. */
  qualityAccess: string;
  qualityHits: (count: number) => string;
  qualityNone: string;
  clusteredAlso: string;
  clusteredNot: string;
  groups: Record<IndicatorGroup, string>;
  groupIntro: string;
  indicator: string;
  n: string;
  value: string;
  designEffect: string;
  mdd: string;
  mcid: string;
  withheld: string;
  noInterval: string;
  chartDifference: string;
  chartArms: string;
  chartLegendCi: string;
  chartLegendClustered: string;
  chartLegendEstimate: string;
  caseMix: string;
  caseMixIntro: string;
  goldStage: string;
  profile: string;
  meanAge: string;
  patients: string;
  completeness: string;
  completenessIntro: string;
  practice: string;
  region: string;
  arm: string;
  baseline: string;
  followup3m: string;
  followup12m: string;
  completenessTotal: string;
  changes: string;
  changesFirst: string;
  changesIntro: (previousLabel: string, previousDate: string) => string;
  figuresMoved: string;
  figuresNone: string;
  figure: string;
  /** The lower and upper bound of an interval, in a changed figure's name. */
  bounds: { low: string; high: string };
  before: string;
  after: string;
  change: string;
  recordsPerPractice: string;
  recordsNone: string;
  added: string;
  late: string;
  corrected: string;
  deleted: string;
  noPractice: string;
  total: string;
  methods: string;
  methodsIntro: string;
  statistics: string;
  statisticsText: string[];
  definitionsHead: string;
  definitionsNote: string;
  dataStatus: string;
  records: string;
  count: string;
  table: string;
  tables: Record<string, string>;
  factsComputedAt: string;
  verification: string;
  verified: string;
  notVerified: (recomputed: string) => string;
  page: string;
}

const NL: ReportWords = {
  title: 'Monitoringsrapportage',
  experiment: 'Experiment',
  analysisDate: 'Analysedatum',
  snapshot: 'Momentopname',
  takenAt: 'Bevroren op',
  takenBy: 'Bevroren door',
  digest: 'Digest van de invoer (SHA-256)',
  codeVersion: 'Codeversie',
  generated: 'Gegenereerd op',
  contents: 'Inhoud',
  // The arms' names: one place for the dashboard and the report (libs/domain presentation/arm-names.ts).
  arms: ARM_WORDS.nl.short,
  armsLong: ARM_WORDS.nl.long,
  summary: 'Samenvatting van de resultaten',
  summaryIntro:
    'Alle cijfers komen uit de bevroren momentopname en veranderen niet meer. Bij elk verschil bundel min per verrichting staan twee 95%-betrouwbaarheidsintervallen: het gewone (patiënten onafhankelijk) en het geclusterde (patiënten van één praktijk lijken op elkaar, de praktijk als cluster).',
  cost: 'Kosten per zorgkwartaal',
  costRow: { paid: 'Betaald', counterfactual: 'Contrafactisch' },
  difference: 'Verschil bundel − per verrichting',
  differenceShort: 'Verschil',
  clusteredShort: 'gecl.',
  ci: '95%-BI',
  clusteredCi: 'geclusterd 95%-BI',
  qualityAccess: 'Kwaliteit en toegang',
  qualityHits: (count) =>
    count === 1
      ? '1 verschil bundel − per verrichting in kwaliteit of toegang waarvan het 95%-BI 0 uitsluit:'
      : `${count} verschillen bundel − per verrichting in kwaliteit of toegang waarvan het 95%-BI 0 uitsluit:`,
  qualityNone:
    'Voor geen enkele indicator van kwaliteit of toegang sluit het 95%-BI van het verschil bundel − per verrichting 0 uit.',
  clusteredAlso: 'ook geclusterd sluit het interval 0 uit',
  clusteredNot: 'geclusterd sluit het interval 0 niet uit',
  groups: { COST: 'Kosten en volume', QUALITY: 'Kwaliteit', ACCESS: 'Toegang en selectie' },
  groupIntro:
    'Per indicator per arm het aantal (n), de waarde met 95%-BI, het geclusterde 95%-BI en het designeffect; daarna het verschil bundel − per verrichting met beide intervallen, het minimaal detecteerbare verschil (MDV, bij een onderscheidend vermogen van 80%) en het minimaal klinisch relevante verschil (MCID).',
  indicator: 'Indicator',
  n: 'n',
  value: 'Waarde',
  designEffect: 'Design effect',
  mdd: 'MDV',
  mcid: 'MCID',
  withheld: 'onderdrukt: minder dan 5 patiënten',
  noInterval: 'geen interval (mediaan of aantal)',
  chartDifference: 'Verschil bundel − per verrichting met 95%-BI',
  chartArms: 'Waarde per arm',
  chartLegendCi: '95%-BI',
  chartLegendClustered: 'geclusterd 95%-BI',
  chartLegendEstimate: 'verschil',
  caseMix: 'Case mix per arm',
  caseMixIntro: 'Verdeling over GOLD-stadium en KNGF-profiel per arm, en de gemiddelde leeftijd bij intake.',
  goldStage: 'GOLD-stadium',
  profile: 'KNGF-profiel',
  meanAge: 'Gemiddelde leeftijd bij intake',
  patients: 'Patiënten',
  completeness: 'Volledigheid per praktijk',
  completenessIntro:
    'Aandeel patiënten met een complete nulmeting en met vervolgmetingen na 3 en 12 maanden, onder de patiënten bij wie die meting al verwacht werd (dezelfde tellingen als de indicatoren BASELINE_COMPLETE en FOLLOWUP_*_COMPLETE); laagste nulmeting eerst.',
  practice: 'Praktijk',
  region: 'Regio',
  arm: 'Arm',
  baseline: 'Nulmeting',
  followup3m: 'Vervolg 3 mnd',
  followup12m: 'Vervolg 12 mnd',
  completenessTotal: 'Alle praktijken',
  changes: 'Wijzigingen sinds de vorige momentopname',
  changesFirst: 'Dit is de eerste momentopname van dit experiment; er is nog niets om mee te vergelijken.',
  changesIntro: (label, date) => `Vergeleken met de vorige momentopname “${label}” (analysedatum ${date}).`,
  figuresMoved: 'Cijfers die veranderden',
  figuresNone: 'Geen enkel cijfer van de vergelijking veranderde.',
  figure: 'Cijfer',
  bounds: { low: 'ondergrens', high: 'bovengrens' },
  before: 'Vorige',
  after: 'Nu',
  change: 'Verandering',
  recordsPerPractice: 'Gegevens toegevoegd, gecorrigeerd of verwijderd, per praktijk',
  recordsNone: 'Geen gegevens toegevoegd, gecorrigeerd of verwijderd.',
  added: 'Toegevoegd',
  late: 'Waarvan laat',
  corrected: 'Gecorrigeerd',
  deleted: 'Verwijderd',
  noPractice: 'Geen praktijk (experiment, verzekeraars)',
  total: 'Totaal',
  methods: 'Methoden',
  methodsIntro:
    'De definities en de statistiek waarmee de cijfers berekend zijn, met de lezingen waar DOMAIN.md zwijgt. De tekst hieronder is docs/definitions.md van de repository bij deze codeversie (Engelstalig).',
  statistics: 'Statistiek in het kort',
  statisticsText: [
    'Verschillen zijn bundel min per verrichting op de ruwe waarden, met een 95%-betrouwbaarheidsinterval en het minimaal detecteerbare verschil bij een onderscheidend vermogen van 80% en 5% tweezijdig.',
    'Het geclusterde interval neemt de praktijk als cluster (CR1-variantie, t met G − 1 vrijheidsgraden per arm, Welch-achtige vrijheidsgraden voor het verschil); het design effect is de geclusterde variantie gedeeld door de ongeclusterde.',
    'Cellen van 1 tot 4 patiënten worden niet getoond. Bedragen zijn in euro, berekend in centen.',
  ],
  definitionsHead: 'Definities',
  definitionsNote: 'docs/definitions.md',
  dataStatus: 'Status van de gegevens',
  records: 'Bevroren records per tabel',
  count: 'Aantal',
  table: 'Tabel',
  tables: {
    experiments: 'Experimenten',
    insurers: 'Verzekeraars',
    practices: 'Praktijken',
    contracts: 'Contracten',
    patients: 'Patiënten',
    therapy_sessions: 'Behandelingen',
    measurements: 'Metingen',
    events: 'Gebeurtenissen',
  },
  factsComputedAt: 'Feiten berekend op',
  verification: 'Verificatie',
  verified: 'De digest, opnieuw berekend uit de bevroren kopieën, is gelijk aan de opgeslagen digest.',
  notVerified: (recomputed) =>
    `Let op: de digest opnieuw berekend uit de bevroren kopieën (${recomputed}) wijkt af van de opgeslagen digest.`,
  page: 'Pagina',
};

const EN: ReportWords = {
  title: 'Monitoring report',
  experiment: 'Experiment',
  analysisDate: 'Analysis date',
  snapshot: 'Snapshot',
  takenAt: 'Frozen at',
  takenBy: 'Frozen by',
  digest: 'Input digest (SHA-256)',
  codeVersion: 'Code version',
  generated: 'Generated at',
  contents: 'Contents',
  arms: { BUNDLE: 'Bundle', FFS: 'Fee-for-service' },
  armsLong: { BUNDLE: 'Bundled payment', FFS: 'Fee-for-service (FFS)' },
  summary: 'Summary of results',
  summaryIntro:
    'Every figure comes from the frozen snapshot and no longer changes. Each difference bundle − fee-for-service has two 95% confidence intervals: the ordinary one (patients independent) and the clustered one (patients of one practice are alike, the practice as cluster).',
  cost: 'Cost per care quarter',
  costRow: { paid: 'Paid', counterfactual: 'Counterfactual' },
  difference: 'Difference bundle − fee-for-service',
  differenceShort: 'Difference',
  clusteredShort: 'clust.',
  ci: '95% CI',
  clusteredCi: 'clustered 95% CI',
  qualityAccess: 'Quality and access',
  qualityHits: (count) =>
    count === 1
      ? '1 quality or access difference bundle − fee-for-service whose 95% CI excludes 0:'
      : `${count} quality or access differences bundle − fee-for-service whose 95% CI excludes 0:`,
  qualityNone:
    'For no quality or access indicator does the 95% CI of the difference bundle − fee-for-service exclude 0.',
  clusteredAlso: 'the clustered interval excludes 0 too',
  clusteredNot: 'the clustered interval does not exclude 0',
  groups: { COST: 'Cost and volume', QUALITY: 'Quality', ACCESS: 'Access and selection' },
  groupIntro:
    'Per indicator and arm the count (n), the value with its 95% CI, the clustered 95% CI and the design effect; then the difference bundle − fee-for-service with both intervals, the minimal detectable difference (MDD, 80% power) and the minimal clinically important difference (MCID).',
  indicator: 'Indicator',
  n: 'n',
  value: 'Value',
  designEffect: 'Design effect',
  mdd: 'MDD',
  mcid: 'MCID',
  withheld: 'withheld: fewer than 5 patients',
  noInterval: 'no interval (median or count)',
  chartDifference: 'Difference bundle − fee-for-service with 95% CI',
  chartArms: 'Value per arm',
  chartLegendCi: '95% CI',
  chartLegendClustered: 'clustered 95% CI',
  chartLegendEstimate: 'difference',
  caseMix: 'Case mix per arm',
  caseMixIntro: 'Mix of GOLD stage and KNGF profile per arm, and the mean age at intake.',
  goldStage: 'GOLD stage',
  profile: 'KNGF profile',
  meanAge: 'Mean age at intake',
  patients: 'Patients',
  completeness: 'Completeness per practice',
  completenessIntro:
    'Share of patients with a complete baseline and with follow-up measurements at 3 and 12 months, among the patients for whom the measurement was due (the counts of the indicators BASELINE_COMPLETE and FOLLOWUP_*_COMPLETE); lowest baseline first.',
  practice: 'Practice',
  region: 'Region',
  arm: 'Arm',
  baseline: 'Baseline',
  followup3m: 'Follow-up 3 mo',
  followup12m: 'Follow-up 12 mo',
  completenessTotal: 'All practices',
  changes: 'Changes since the previous snapshot',
  changesFirst: 'This is the first snapshot of this experiment; there is nothing to compare it with yet.',
  changesIntro: (label, date) => `Compared with the previous snapshot “${label}” (analysis date ${date}).`,
  figuresMoved: 'Figures that changed',
  figuresNone: 'No figure of the comparison changed.',
  figure: 'Figure',
  bounds: { low: 'lower bound', high: 'upper bound' },
  before: 'Previous',
  after: 'Now',
  change: 'Change',
  recordsPerPractice: 'Records added, corrected or deleted, per practice',
  recordsNone: 'No records were added, corrected or deleted.',
  added: 'Added',
  late: 'Of which late',
  corrected: 'Corrected',
  deleted: 'Deleted',
  noPractice: 'No practice (experiment, insurers)',
  total: 'Total',
  methods: 'Methods',
  methodsIntro:
    "The definitions and statistics the figures were computed with, and the readings where DOMAIN.md is silent. The text below is the repository's docs/definitions.md at this code version.",
  statistics: 'Statistics in brief',
  statisticsText: [
    'Differences are bundle minus fee-for-service on the crude values, with a 95% confidence interval and the minimal detectable difference at 80% power and 5% two-sided.',
    'The clustered interval takes the practice as cluster (CR1 variance, t with G − 1 degrees of freedom per arm, Welch-type degrees of freedom for the difference); the design effect is the clustered variance divided by the unclustered one.',
    'Cells of 1 to 4 patients are not shown. Amounts are in euros, computed in cents.',
  ],
  definitionsHead: 'Definitions',
  definitionsNote: 'docs/definitions.md',
  dataStatus: 'Data status',
  records: 'Frozen records per table',
  count: 'Count',
  table: 'Table',
  tables: {
    experiments: 'Experiments',
    insurers: 'Insurers',
    practices: 'Practices',
    contracts: 'Contracts',
    patients: 'Patients',
    therapy_sessions: 'Sessions',
    measurements: 'Measurements',
    events: 'Events',
  },
  factsComputedAt: 'Facts computed at',
  verification: 'Verification',
  verified: 'The digest recomputed from the frozen copies equals the stored digest.',
  notVerified: (recomputed) =>
    `Attention: the digest recomputed from the frozen copies (${recomputed}) differs from the stored digest.`,
  page: 'Page',
};

export const REPORT_WORDS: Record<ReportLanguage, ReportWords> = { nl: NL, en: EN };
