import type { Instrument } from '../model';

/** The two languages of the interface and of the API's messages (Accept-Language nl|en, Dutch by default). */
export type MessageLanguage = 'nl' | 'en';

export const MESSAGE_LANGUAGES: readonly MessageLanguage[] = ['nl', 'en'];

/** 'en', 'en-GB', 'EN' -> 'en'; everything else (including nothing) -> 'nl', the users' language. */
export function messageLanguage(language: string | null | undefined): MessageLanguage {
  return typeof language === 'string' && language.trim().toLowerCase().startsWith('en') ? 'en' : 'nl';
}

type Texts = Readonly<Record<MessageLanguage, string>>;

/**
 * The name of each form field in the user's language, as a message names it ("Geboortejaar is verplicht"). Keyed
 * by the last segment of a violation's path ('bundle.intake' -> 'intake', '[3].date' -> 'date'); a field not listed
 * is named by its API name.
 */
export const FIELD_LABELS: Readonly<Record<string, Texts>> = {
  ref: { nl: 'patiëntnummer (ref)', en: 'patient number (ref)' },
  practice: { nl: 'praktijk (AGB-code)', en: 'practice (AGB code)' },
  practices: { nl: 'praktijken (AGB-codes)', en: 'practices (AGB codes)' },
  insurer: { nl: 'zorgverzekeraar (UZOVI-code)', en: 'insurer (UZOVI code)' },
  experiment: { nl: 'experiment', en: 'experiment' },
  bsn: { nl: 'BSN', en: 'BSN' },
  birthYear: { nl: 'geboortejaar', en: 'year of birth' },
  sex: { nl: 'geslacht', en: 'sex' },
  goldStage: { nl: 'GOLD-stadium', en: 'GOLD stage' },
  profile: { nl: 'KNGF-profiel', en: 'KNGF profile' },
  referralDate: { nl: 'verwijsdatum', en: 'referral date' },
  intakeDate: { nl: 'intakedatum', en: 'intake date' },
  endDate: { nl: 'einddatum', en: 'end date' },
  endReason: { nl: 'reden van beëindiging', en: 'reason for ending' },
  date: { nl: 'datum', en: 'date' },
  kind: { nl: 'soort', en: 'kind' },
  instrument: { nl: 'meetinstrument', en: 'instrument' },
  value: { nl: 'waarde', en: 'value' },
  reason: { nl: 'reden', en: 'reason' },
  patient: { nl: 'patiënt', en: 'patient' },
  arm: { nl: 'bekostigingsvorm', en: 'payment arm' },
  validFrom: { nl: 'begindatum', en: 'start date' },
  validTo: { nl: 'einddatum', en: 'end date' },
  intake: { nl: 'tarief intake', en: 'intake tariff' },
  quarter: { nl: 'tarief per kwartaal', en: 'tariff per quarter' },
  session: { nl: 'tarief per behandeling', en: 'tariff per session' },
  homeSupplement: { nl: 'toeslag aan huis', en: 'home-visit supplement' },
  groupSession: { nl: 'tarief groepsbehandeling', en: 'group-session tariff' },
  analysisDate: { nl: 'peildatum', en: 'analysis date' },
  code: { nl: 'code', en: 'code' },
  name: { nl: 'naam', en: 'name' },
  region: { nl: 'regio', en: 'region' },
  agb: { nl: 'AGB-code', en: 'AGB code' },
  uzovi: { nl: 'UZOVI-code', en: 'UZOVI code' },
  username: { nl: 'gebruikersnaam', en: 'user name' },
  password: { nl: 'wachtwoord', en: 'password' },
  role: { nl: 'rol', en: 'role' },
  expiresOn: { nl: 'laatste geldige dag', en: 'last valid day' },
  q: { nl: 'zoekterm', en: 'search' },
  status: { nl: 'status', en: 'status' },
  sort: { nl: 'sortering', en: 'sort' },
  order: { nl: 'volgorde', en: 'order' },
  offset: { nl: 'begin (offset)', en: 'offset' },
  limit: { nl: 'aantal per pagina (limit)', en: 'page size (limit)' },
  from: { nl: 'vanaf', en: 'from' },
  to: { nl: 'tot en met', en: 'to' },
  asOf: { nl: 'beoordeeld op', en: 'judged on' },
  attention: { nl: 'aandacht nodig', en: 'needs attention' },
  snapshot: { nl: 'momentopname', en: 'snapshot' },
  lang: { nl: 'taal', en: 'language' },
  format: { nl: 'formaat', en: 'format' },
};

/** The field a path names: 'bundle.intake' -> 'intake', 'sessions[3].date' -> 'date', 'sessions[3]' -> 'sessions'. */
export function fieldOfPath(path: string): string {
  const last = path.split('.').pop() ?? '';
  return last.replace(/\[\d+\]/g, '');
}

/** A field's name in the language: 'birthYear' -> 'geboortejaar' / 'year of birth'; unknown -> its API name. */
export function fieldLabel(pathOrField: string, lang: MessageLanguage): string {
  const field = fieldOfPath(pathOrField);
  return FIELD_LABELS[field]?.[lang] ?? (field || (lang === 'nl' ? 'de waarde' : 'the value'));
}

/** What a measurement measures, as a sentence names it (DOMAIN.md 3). */
export const INSTRUMENT_LABELS: Readonly<Record<Instrument, Texts>> = {
  SIX_MWT: { nl: '6-minutenwandeltest (meter)', en: '6-minute walk test (metres)' },
  CCQ: { nl: 'CCQ-score', en: 'CCQ score' },
  CAT: { nl: 'CAT-score', en: 'CAT score' },
  MMRC: { nl: 'mMRC-graad', en: 'mMRC grade' },
  STEPS: { nl: 'stappen per dag', en: 'steps per day' },
};

/**
 * What a code of a field must look like, for SHAPE.PATTERN: keyed by field (the last path segment). A field not
 * listed gets the general hint.
 */
export const PATTERN_HINTS: Readonly<Record<string, Texts>> = {
  practice: { nl: 'een AGB-code bestaat uit precies 8 cijfers (bijv. 01234567)', en: 'an AGB code has exactly 8 digits (e.g. 01234567)' },
  practices: { nl: 'een AGB-code bestaat uit precies 8 cijfers (bijv. 01234567)', en: 'an AGB code has exactly 8 digits (e.g. 01234567)' },
  agb: { nl: 'een AGB-code bestaat uit precies 8 cijfers (bijv. 01234567)', en: 'an AGB code has exactly 8 digits (e.g. 01234567)' },
  insurer: { nl: 'een UZOVI-code bestaat uit precies 4 cijfers (bijv. 3311)', en: 'a UZOVI code has exactly 4 digits (e.g. 3311)' },
  insurers: { nl: 'een UZOVI-code bestaat uit precies 4 cijfers (bijv. 3311)', en: 'a UZOVI code has exactly 4 digits (e.g. 3311)' },
  uzovi: { nl: 'een UZOVI-code bestaat uit precies 4 cijfers (bijv. 3311)', en: 'a UZOVI code has exactly 4 digits (e.g. 3311)' },
  experiment: {
    nl: 'een experimentcode heeft 1-40 letters, cijfers, punten, streepjes of liggende streepjes (bijv. COPD-2025)',
    en: 'an experiment code has 1-40 letters, digits, dots, hyphens or underscores (e.g. COPD-2025)',
  },
  code: {
    nl: 'een code heeft 1-40 letters, cijfers, punten, streepjes of liggende streepjes',
    en: 'a code has 1-40 letters, digits, dots, hyphens or underscores',
  },
  username: {
    nl: '2-64 tekens: kleine letters, cijfers en . _ @ -',
    en: '2-64 characters: lower-case letters, digits and . _ @ -',
  },
};

export const GENERAL_PATTERN_HINT: Texts = { nl: 'controleer de schrijfwijze', en: 'check how it is written' };
