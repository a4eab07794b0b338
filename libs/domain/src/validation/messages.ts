/*
 * The one catalogue of field-error and business-rule messages, in Dutch and English (issue 14). Every code a
 * validator of this folder returns, every SHAPE.* code of the API's request checks and the field-level codes of
 * corrections map here to a template; the validators build their (Dutch) message from it, the API renders it in
 * the request's language, and the dashboard renders it in the interface's language by code. A template fills
 * {param} from the violation's params (dates dd-mm-jjjj in Dutch, 2025-02-10 in English; {value} is what the user
 * entered, quoted and cut at 40 characters) and a few names from its path: {field}/{Field} (the field's name in
 * the language), {path}, {collection}, {scale} (the instrument's scale), {hint} (how a code is written).
 */
import type { Violation } from '../model';
import { messageLanguage, type MessageLanguage } from './field-labels';
import {
  formatEnteredValue,
  formatMessageDate,
  MissingParam,
  renderTemplate,
  type MessageParams,
  type MessageTexts,
  type TemplateTools,
} from './message-format';

export { FIELD_LABELS, INSTRUMENT_LABELS, MESSAGE_LANGUAGES, fieldLabel, messageLanguage } from './field-labels';
export type { MessageLanguage } from './field-labels';
export { formatEnteredValue, formatMessageDate, placeholdersOf } from './message-format';
export type { MessageParams, MessageTemplate, MessageTexts, TemplateTools } from './message-format';

/** Request shape codes (apps/api core/http/validation.ts): what a user needs to know, not which decorator failed. */
export const SHAPE_CODES = {
  REQUIRED: 'SHAPE.REQUIRED',
  NOT_A_NUMBER: 'SHAPE.NOT_A_NUMBER',
  NOT_AN_INTEGER: 'SHAPE.NOT_AN_INTEGER',
  NOT_TEXT: 'SHAPE.NOT_TEXT',
  NOT_A_DATE: 'SHAPE.NOT_A_DATE',
  NOT_A_DATE_OR_TIME: 'SHAPE.NOT_A_DATE_OR_TIME',
  OUT_OF_RANGE: 'SHAPE.OUT_OF_RANGE',
  TOO_SHORT: 'SHAPE.TOO_SHORT',
  TOO_LONG: 'SHAPE.TOO_LONG',
  NOT_ONE_OF: 'SHAPE.NOT_ONE_OF',
  PATTERN: 'SHAPE.PATTERN',
  UNKNOWN_FIELD: 'SHAPE.UNKNOWN_FIELD',
  UNSAFE_INTEGER: 'SHAPE.UNSAFE_INTEGER',
  NOT_AN_OBJECT: 'SHAPE.NOT_AN_OBJECT',
  NOT_A_LIST: 'SHAPE.NOT_A_LIST',
  TOO_MANY_ITEMS: 'SHAPE.TOO_MANY_ITEMS',
  NOT_A_BOOLEAN: 'SHAPE.NOT_A_BOOLEAN',
  NOT_AN_ID: 'SHAPE.NOT_AN_ID',
  NOT_A_URL: 'SHAPE.NOT_A_URL',
  INVALID: 'SHAPE.INVALID',
} as const;

export type ShapeCode = (typeof SHAPE_CODES)[keyof typeof SHAPE_CODES];

/** Sessions a CONTRACT.SESSION_UNCOVERED message names; its params always hold them all. */
export const SESSIONS_NAMED = 10;

export const SESSION_KIND_LABELS: Readonly<Record<string, Readonly<Record<MessageLanguage, string>>>> = {
  INDIVIDUAL: { nl: 'individueel', en: 'individual' },
  HOME: { nl: 'aan huis', en: 'at home' },
  GROUP: { nl: 'groep', en: 'group' },
  REMOTE: { nl: 'op afstand', en: 'remote' },
};

const DATE_INVALID: MessageTexts = {
  nl: 'De datum {value} is geen geldige datum; gebruik het formaat JJJJ-MM-DD (bijv. 2025-02-10).',
  en: 'The date {value} is not a valid date; use the format YYYY-MM-DD (e.g. 2025-02-10).',
};
const AGB_INVALID: MessageTexts = {
  nl: 'De AGB-code {value} is ongeldig: een AGB-code bestaat uit precies 8 cijfers.',
  en: 'The AGB code {value} is not valid: an AGB code has exactly 8 digits.',
};
const UZOVI_INVALID: MessageTexts = {
  nl: 'De UZOVI-code {value} is ongeldig: een UZOVI-code bestaat uit precies 4 cijfers.',
  en: 'The UZOVI code {value} is not valid: a UZOVI code has exactly 4 digits.',
};

/** The date window every care record shares (violation.ts recordDateViolations), per subject. */
function recordDates(subject: { nl: string; en: string }, limit: { nl: string; en: string }) {
  return {
    before: {
      nl: `${subject.nl} ({date}) ligt vóór ${limit.nl} ({limit}); controleer de datum.`,
      en: `${subject.en} ({date}) is before ${limit.en} ({limit}); check the date.`,
    },
    afterEnd: {
      nl: `${subject.nl} ({date}) ligt na de einddatum van de behandelperiode ({endDate}). Zorg na het einde hoort bij een nieuwe inschrijving.`,
      en: `${subject.en} ({date}) is after the end date of the treatment period ({endDate}). Care after the end belongs to a new enrolment.`,
    },
    inFuture: {
      nl: `${subject.nl} ({date}) ligt in de toekomst (vandaag is {today}); leg alleen vast wat al heeft plaatsgevonden.`,
      en: `${subject.en} ({date}) is in the future (today is {today}); record only what has already taken place.`,
    },
  };
}
const SESSION_DATES = recordDates({ nl: 'De behandeling', en: 'The session' }, { nl: 'de intakedatum', en: 'the intake date' });
const MEASUREMENT_DATES = recordDates({ nl: 'De meting', en: 'The measurement' }, { nl: 'de verwijsdatum', en: 'the referral date' });
const EVENT_DATES = recordDates({ nl: 'De gebeurtenis', en: 'The event' }, { nl: 'de verwijsdatum', en: 'the referral date' });

/** Records a changed enrolment would leave outside its period (ENROLMENT.*_OUTSIDE_ENROLMENT). */
function outsideEnrolment(one: { nl: string; en: string }, many: { nl: string; en: string }): MessageTexts {
  return {
    nl: (t) => {
      const count = Number(t.raw('count'));
      return (
        `Met deze datums ${count === 1 ? `valt 1 vastgelegde ${one.nl}` : `vallen ${count} vastgelegde ${many.nl}`} ` +
        `buiten de behandelperiode, de eerste op ${t.p('firstOutsideDate')}. Pas de datums aan of corrigeer eerst die registraties.`
      );
    },
    en: (t) => {
      const count = Number(t.raw('count'));
      return (
        `With these dates ${count === 1 ? `1 recorded ${one.en} falls` : `${count} recorded ${many.en} fall`} ` +
        `outside the treatment period, the first on ${t.p('firstOutsideDate')}. Change the dates or correct those records first.`
      );
    },
  };
}

/** Sessions a contract change leaves uncovered, named as '10-02-2025 (individueel)', at most SESSIONS_NAMED. */
function namedSessions(t: TemplateTools): string {
  const count = Number(t.raw('count'));
  const named = String(t.raw('sessions'))
    .split(', ')
    .slice(0, SESSIONS_NAMED)
    .map((entry) => {
      const [date, kind] = entry.split(' ');
      return `${formatMessageDate(date, t.lang)} (${SESSION_KIND_LABELS[kind]?.[t.lang] ?? kind})`;
    })
    .join(', ');
  const more = count > SESSIONS_NAMED ? (t.lang === 'nl' ? ` en nog ${count - SESSIONS_NAMED}` : ` and ${count - SESSIONS_NAMED} more`) : '';
  return `${named}${more}`;
}

/** Euros of a cent limit, as the language writes an amount: 2500000 -> '€ 25.000,00' / 'EUR 25,000.00'. */
function euros(cents: number, lang: MessageLanguage): string {
  const amount = (cents / 100).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB', { minimumFractionDigits: 2 });
  return lang === 'nl' ? `€ ${amount}` : `EUR ${amount}`;
}

/** Every code with its Dutch and English template. */
export const MESSAGES: Readonly<Record<string, MessageTexts>> = {
  // Eligibility (DOMAIN.md 4)
  'ELIGIBILITY.AGE_UNDER_18': {
    nl: 'De patiënt is op de intakedatum jonger dan 18 jaar (geboortejaar {birthYear}, intake {intakeYear}): alleen volwassenen komen in aanmerking.',
    en: 'The patient is younger than 18 on the intake date (born {birthYear}, intake {intakeYear}): only adults are eligible.',
  },
  'ELIGIBILITY.GOLD_STAGE_TOO_LOW': {
    nl:
      'GOLD-stadium {goldStage} komt niet in aanmerking: oefentherapie bij COPD wordt vergoed vanaf GOLD-stadium {minimum} ' +
      '(Besluit zorgverzekering art. 2.6 lid 6). Controleer de spirometrie-uitslag.',
    en:
      'GOLD stage {goldStage} is not eligible: exercise therapy for COPD is covered from GOLD stage {minimum} ' +
      '(Besluit zorgverzekering art. 2.6 lid 6). Check the spirometry result.',
  },
  'ELIGIBILITY.NO_CONTRACT_IN_FORCE': {
    nl:
      'Op de intakedatum ({intakeDate}) is geen contract van deze praktijk met deze zorgverzekeraar van kracht. ' +
      'Leg eerst een contract vast dat deze datum dekt, of controleer de intakedatum.',
    en:
      'On the intake date ({intakeDate}) no contract between this practice and this insurer is in force. ' +
      'Record a contract that covers this date first, or check the intake date.',
  },

  // Enrolment
  'ENROLMENT.REF_MISSING': {
    nl: 'Vul het patiëntnummer van de praktijk in (ref).',
    en: "Enter the practice's patient number (ref).",
  },
  'ENROLMENT.PRACTICE_INVALID': AGB_INVALID,
  'ENROLMENT.INSURER_INVALID': UZOVI_INVALID,
  'ENROLMENT.BIRTH_YEAR_INVALID': {
    nl: 'Het geboortejaar {value} is ongeldig; vul een jaartal in, bijv. 1956.',
    en: 'The year of birth {value} is not valid; enter a year, e.g. 1956.',
  },
  'ENROLMENT.SEX_INVALID': {
    nl: 'Het geslacht {value} is onbekend; kies F, M of X.',
    en: 'The sex {value} is unknown; choose F, M or X.',
  },
  'ENROLMENT.GOLD_STAGE_INVALID': {
    nl: 'Het GOLD-stadium {value} bestaat niet; kies 2, 3 of 4.',
    en: 'GOLD stage {value} does not exist; choose 2, 3 or 4.',
  },
  'ENROLMENT.PROFILE_INVALID': {
    nl: 'Het KNGF-profiel {value} bestaat niet; kies een profiel van 1 tot en met 6 (KNGF-richtlijn COPD).',
    en: 'KNGF profile {value} does not exist; choose a profile from 1 to 6 (KNGF guideline COPD).',
  },
  'ENROLMENT.DATE_INVALID': DATE_INVALID,
  'ENROLMENT.REFERRAL_AFTER_INTAKE': {
    nl: 'De verwijsdatum ({referralDate}) ligt na de intakedatum ({intakeDate}): een verwijzing van huisarts of longarts moet er vóór of op de intake zijn.',
    en: 'The referral date ({referralDate}) is after the intake date ({intakeDate}): a referral by the GP or chest physician must be there on or before the intake.',
  },
  'ENROLMENT.REFERRAL_IN_FUTURE': {
    nl: 'De verwijsdatum ({referralDate}) ligt in de toekomst (vandaag is {today}).',
    en: 'The referral date ({referralDate}) is in the future (today is {today}).',
  },
  'ENROLMENT.INTAKE_IN_FUTURE': {
    nl: 'De intakedatum ({intakeDate}) ligt in de toekomst (vandaag is {today}); schrijf de patiënt in na de intake.',
    en: 'The intake date ({intakeDate}) is in the future (today is {today}); enrol the patient after the intake.',
  },
  'ENROLMENT.END_BEFORE_INTAKE': {
    nl: 'De einddatum ({endDate}) ligt vóór de intakedatum ({intakeDate}).',
    en: 'The end date ({endDate}) is before the intake date ({intakeDate}).',
  },
  'ENROLMENT.END_REASON_MISSING': {
    nl: 'Er is een einddatum maar geen reden van beëindiging; kies een reden (bijv. COMPLETED of DROPPED_OUT).',
    en: 'There is an end date but no reason for ending; choose a reason (e.g. COMPLETED or DROPPED_OUT).',
  },
  'ENROLMENT.END_REASON_WITHOUT_END_DATE': {
    nl: 'Er is een reden van beëindiging maar geen einddatum; vul de einddatum in of verwijder de reden.',
    en: 'There is a reason for ending but no end date; enter the end date or remove the reason.',
  },
  'ENROLMENT.END_REASON_INVALID': {
    nl: 'De reden van beëindiging {value} is onbekend; kies uit {allowed}.',
    en: 'The reason for ending {value} is unknown; choose from {allowed}.',
  },
  'ENROLMENT.SESSIONS_OUTSIDE_ENROLMENT': outsideEnrolment(
    { nl: 'behandeling', en: 'session' },
    { nl: 'behandelingen', en: 'sessions' },
  ),
  'ENROLMENT.OBSERVATIONS_OUTSIDE_ENROLMENT': outsideEnrolment(
    { nl: 'meting of gebeurtenis', en: 'measurement or event' },
    { nl: 'metingen of gebeurtenissen', en: 'measurements or events' },
  ),

  // Sessions, measurements, events
  'SESSION.DATE_INVALID': DATE_INVALID,
  'SESSION.KIND_INVALID': {
    nl: 'Het soort behandeling {value} is onbekend; kies uit {allowed}.',
    en: 'The kind of session {value} is unknown; choose from {allowed}.',
  },
  'SESSION.BEFORE_INTAKE': SESSION_DATES.before,
  'SESSION.AFTER_END': SESSION_DATES.afterEnd,
  'SESSION.IN_FUTURE': SESSION_DATES.inFuture,
  'SESSION.NO_CONTRACT_IN_FORCE': {
    nl:
      'Op {date} is geen contract van deze praktijk met deze zorgverzekeraar van kracht, dus deze behandeling kan niet ' +
      'worden bekostigd. Leg eerst een contract vast dat deze datum dekt.',
    en:
      'On {date} no contract between this practice and this insurer is in force, so this session cannot be paid. ' +
      'Record a contract that covers this date first.',
  },
  'MEASUREMENT.DATE_INVALID': DATE_INVALID,
  'MEASUREMENT.INSTRUMENT_INVALID': {
    nl: 'Het meetinstrument {value} is onbekend; kies uit {allowed}.',
    en: 'The instrument {value} is unknown; choose from {allowed}.',
  },
  'MEASUREMENT.VALUE_INVALID': {
    nl: 'De waarde {value} is geen getal; vul de {scale} in als getal.',
    en: 'The value {value} is not a number; enter the {scale} as a number.',
  },
  'MEASUREMENT.VALUE_NOT_INTEGER': {
    nl: 'De {scale} moet een geheel getal zijn (ingevuld: {value}).',
    en: 'The {scale} must be a whole number (entered: {value}).',
  },
  'MEASUREMENT.VALUE_TOO_MANY_DECIMALS': {
    nl:
      'De {scale} mag hoogstens {decimals} decimaal hebben (ingevuld: {value}); de CCQ-totaalscore is het gemiddelde ' +
      'van 10 items en heeft dus hoogstens 1 decimaal (bijv. 1,6). Controleer de berekening.',
    en:
      'The {scale} may have at most {decimals} decimal (entered: {value}); the CCQ total score is the mean of 10 items ' +
      'and so has at most 1 decimal (e.g. 1.6). Check the calculation.',
  },
  'MEASUREMENT.VALUE_OUT_OF_RANGE': {
    nl: 'De {scale} moet tussen {min} en {max} liggen (ingevuld: {value}).',
    en: 'The {scale} must be between {min} and {max} (entered: {value}).',
  },
  'MEASUREMENT.BEFORE_REFERRAL': MEASUREMENT_DATES.before,
  'MEASUREMENT.AFTER_END': MEASUREMENT_DATES.afterEnd,
  'MEASUREMENT.IN_FUTURE': MEASUREMENT_DATES.inFuture,
  'EVENT.DATE_INVALID': DATE_INVALID,
  'EVENT.KIND_INVALID': {
    nl: 'Het soort gebeurtenis {value} is onbekend; kies uit {allowed}.',
    en: 'The kind of event {value} is unknown; choose from {allowed}.',
  },
  'EVENT.BEFORE_REFERRAL': EVENT_DATES.before,
  'EVENT.AFTER_END': EVENT_DATES.afterEnd,
  'EVENT.IN_FUTURE': EVENT_DATES.inFuture,

  // Contracts
  'CONTRACT.PRACTICE_INVALID': AGB_INVALID,
  'CONTRACT.INSURER_INVALID': UZOVI_INVALID,
  'CONTRACT.ARM_INVALID': {
    nl: 'De bekostigingsvorm {value} is onbekend; kies BUNDLE of FFS.',
    en: 'The payment arm {value} is unknown; choose BUNDLE or FFS.',
  },
  'CONTRACT.DATE_INVALID': {
    nl: 'De datum {value} is geen geldige datum; gebruik het formaat JJJJ-MM-DD (bijv. 2025-01-01).',
    en: 'The date {value} is not a valid date; use the format YYYY-MM-DD (e.g. 2025-01-01).',
  },
  'CONTRACT.TARIFF_INVALID': {
    nl: (t) =>
      `Het tarief ${t.path} (${formatEnteredValue(t.raw('value'), 'nl')}) moet een geheel aantal eurocenten van 0 tot en met ` +
      `${t.raw('max')} (${euros(Number(t.raw('max')), 'nl')}) zijn (bijv. 4000 voor € 40,00).`,
    en: (t) =>
      `The tariff ${t.path} (${formatEnteredValue(t.raw('value'), 'en')}) must be a whole number of euro cents from 0 to ` +
      `${t.raw('max')} (${euros(Number(t.raw('max')), 'en')}) (e.g. 4000 for EUR 40.00).`,
  },
  'CONTRACT.VALID_TO_BEFORE_VALID_FROM': {
    nl: 'De einddatum van het contract ({validTo}) ligt vóór de begindatum ({validFrom}).',
    en: 'The end date of the contract ({validTo}) is before its start date ({validFrom}).',
  },
  'CONTRACT.OVERLAP': {
    nl:
      'De periode {validFrom} t/m {validTo} overlapt met een ander contract van deze praktijk en zorgverzekeraar ' +
      '({otherValidFrom} t/m {otherValidTo}). Contracten mogen elkaar niet overlappen: pas een van beide periodes aan.',
    en:
      'The period {validFrom} to {validTo} overlaps another contract of this practice and insurer ' +
      '({otherValidFrom} to {otherValidTo}). Contracts must not overlap: change one of the two periods.',
  },
  'CONTRACT.INTAKE_UNCOVERED': {
    nl:
      'Door deze wijziging zou de intake van patiënt {pseudonym} (patiëntnummer {ref}) op {intakeDate} buiten elk ' +
      'contract vallen. De bekostigingsvorm van een patiënt volgt uit het contract op de intakedatum: kies een periode ' +
      'die de intake dekt, of corrigeer eerst de inschrijving.',
    en:
      'This change would leave the intake of patient {pseudonym} (patient number {ref}) on {intakeDate} outside every ' +
      "contract. A patient's payment arm follows from the contract on the intake date: choose a period that covers " +
      'the intake, or correct the enrolment first.',
  },
  'CONTRACT.SESSION_UNCOVERED': {
    nl: (t) => {
      const count = Number(t.raw('count'));
      return (
        `Door deze wijziging ${count === 1 ? 'zou 1 vastgelegde behandeling' : `zouden ${count} vastgelegde behandelingen`} ` +
        `van patiënt ${t.p('pseudonym')} (patiëntnummer ${t.p('ref')}) buiten elk contract vallen: ${namedSessions(t)}. ` +
        `Elke vastgelegde behandeling moet onder een contract vallen: kies een periode die ze dekt.`
      );
    },
    en: (t) => {
      const count = Number(t.raw('count'));
      return (
        `This change would leave ${count === 1 ? '1 recorded session' : `${count} recorded sessions`} ` +
        `of patient ${t.p('pseudonym')} (patient number ${t.p('ref')}) outside every contract: ${namedSessions(t)}. ` +
        `Every recorded session must fall under a contract: choose a period that covers them.`
      );
    },
  },

  'BATCH.DUPLICATE_KEY': {
    nl:
      '{path} heeft dezelfde sleutel als {collection}[{firstIndex}]. Twee items met dezelfde sleutel in één verzoek of ' +
      'document zijn niet toegestaan: verwijder of corrigeer een van beide.',
    en:
      '{path} has the same key as {collection}[{firstIndex}]. Two items with the same key in one request or document ' +
      'are not allowed: remove or correct one of them.',
  },

  // Field errors of the API's services (not domain rules): BSN check, a correction onto a key already taken, a
  // measurement posted again with another value and no reason.
  'ENROLMENT.BSN_INVALID': {
    nl: 'Het BSN is ongeldig: het moet uit 9 cijfers bestaan en voldoen aan de elfproef. Controleer het nummer.',
    en: 'The BSN is not valid: it must have 9 digits and pass the eleven test (elfproef). Check the number.',
  },
  'SESSION.KEY_TAKEN': {
    nl: 'Op deze datum staat al een behandeling van deze soort.',
    en: 'A session of this kind is already recorded on this date.',
  },
  'MEASUREMENT.KEY_TAKEN': {
    nl: 'Op deze datum staat al een meting met dit instrument.',
    en: 'A measurement with this instrument is already recorded on this date.',
  },
  'EVENT.KEY_TAKEN': {
    nl: 'Op deze datum staat al een gebeurtenis van deze soort.',
    en: 'An event of this kind is already recorded on this date.',
  },
  'MEASUREMENT.CORRECTION_NEEDS_REASON': {
    nl: 'Op {date} staat al een {instrument}-meting met waarde {stored}. Geef de reden van de correctie naar {value}.',
    en: 'A {instrument} measurement with value {stored} is already recorded on {date}. Give the reason for correcting it to {value}.',
  },

  // Corrections (apps/api core/audit/correction-reason.ts)
  'CORRECTION.REASON_REQUIRED': {
    nl: "Geef de reden van de correctie ({min} tot {max} tekens), bijvoorbeeld 'verkeerde datum ingevoerd'.",
    en: "Give the reason for the correction ({min} to {max} characters), for example 'wrong date entered'.",
  },
  'CORRECTION.REASON_TOO_LONG': {
    nl: 'De reden is {length} tekens lang; dat mag hoogstens {max} zijn. Maak hem korter.',
    en: 'The reason is {length} characters long; it may be at most {max}. Make it shorter.',
  },
  'FILTER.PRACTICE_REQUIRED': {
    nl: 'Geef precies één praktijk op (AGB-code).',
    en: 'Give exactly one practice (AGB code).',
  },
  'FILTER.PERIOD_INVERTED': {
    nl: 'Het laatste kwartaal ligt vóór het eerste; kies een laatste kwartaal op of na het eerste.',
    en: 'The last quarter lies before the first; choose a last quarter on or after the first.',
  },
  'REQUEST.INVALID_ID': {
    nl: 'Geen UUID.',
    en: 'Not a UUID.',
  },

  // Request shape (what the user needs: missing, wrong type, not a date, out of range, ...)
  [SHAPE_CODES.REQUIRED]: {
    nl: '{Field} ontbreekt; vul dit veld in.',
    en: '{Field} is missing; please fill it in.',
  },
  [SHAPE_CODES.NOT_A_NUMBER]: {
    nl: '{Field}: {value} is geen getal; vul een getal in (bijv. 12,5).',
    en: '{Field}: {value} is not a number; enter a number (e.g. 12.5).',
  },
  [SHAPE_CODES.NOT_AN_INTEGER]: {
    nl: '{Field}: {value} is geen geheel getal; vul een geheel getal in (bijv. 3).',
    en: '{Field}: {value} is not a whole number; enter a whole number (e.g. 3).',
  },
  [SHAPE_CODES.NOT_TEXT]: {
    nl: '{Field}: {value} is geen tekst; vul tekst in.',
    en: '{Field}: {value} is not text; enter text.',
  },
  [SHAPE_CODES.NOT_A_DATE]: {
    nl: '{Field}: {value} is geen bestaande datum; gebruik de vorm JJJJ-MM-DD (bijv. 2025-02-10), jaar {minYear} tot en met {maxYear}.',
    en: '{Field}: {value} is not an existing date; use the form YYYY-MM-DD (e.g. 2025-02-10), year {minYear} to {maxYear}.',
  },
  [SHAPE_CODES.NOT_A_DATE_OR_TIME]: {
    nl:
      '{Field}: {value} is geen bestaande datum (JJJJ-MM-DD) of tijdstip met tijdzone (bijv. 2025-09-01T08:00:00Z), ' +
      'jaar {minYear} tot en met {maxYear}.',
    en:
      '{Field}: {value} is not an existing date (YYYY-MM-DD) or a time with a zone (e.g. 2025-09-01T08:00:00Z), ' +
      'year {minYear} to {maxYear}.',
  },
  [SHAPE_CODES.OUT_OF_RANGE]: {
    nl: (t) => rangeText(t, { between: 'moet tussen {min} en {max} liggen', min: 'moet minstens {min} zijn', max: 'mag hoogstens {max} zijn', entered: 'ingevuld' }),
    en: (t) => rangeText(t, { between: 'must be between {min} and {max}', min: 'must be at least {min}', max: 'must be at most {max}', entered: 'entered' }),
  },
  [SHAPE_CODES.TOO_SHORT]: {
    nl: '{Field} is te kort ({length} tekens); vul minstens {min} tekens in.',
    en: '{Field} is too short ({length} characters); enter at least {min} characters.',
  },
  [SHAPE_CODES.TOO_LONG]: {
    nl: '{Field} is te lang ({length} tekens); hoogstens {max} tekens zijn toegestaan.',
    en: '{Field} is too long ({length} characters); at most {max} characters are allowed.',
  },
  [SHAPE_CODES.NOT_ONE_OF]: {
    nl: '{Field}: {value} is geen geldige keuze; kies uit {allowed}.',
    en: '{Field}: {value} is not a valid choice; choose from {allowed}.',
  },
  [SHAPE_CODES.PATTERN]: {
    nl: '{Field}: {value} heeft niet de juiste vorm; {hint}.',
    en: '{Field}: {value} is not in the right form; {hint}.',
  },
  [SHAPE_CODES.UNKNOWN_FIELD]: {
    nl: "Het veld '{path}' bestaat hier niet; laat het weg of controleer de spelling.",
    en: "The field '{path}' does not exist here; leave it out or check its spelling.",
  },
  [SHAPE_CODES.UNSAFE_INTEGER]: {
    nl: '{Field} is te groot (hoogstens {max}).',
    en: '{Field} is too large (at most {max}).',
  },
  [SHAPE_CODES.NOT_AN_OBJECT]: {
    nl: '{Field} moet een groep velden zijn (een JSON-object).',
    en: '{Field} must be a group of fields (a JSON object).',
  },
  [SHAPE_CODES.NOT_A_LIST]: {
    nl: '{Field} moet een lijst zijn.',
    en: '{Field} must be a list.',
  },
  [SHAPE_CODES.TOO_MANY_ITEMS]: {
    nl: '{Field} mag hoogstens {max} items bevatten.',
    en: '{Field} may hold at most {max} items.',
  },
  [SHAPE_CODES.NOT_A_BOOLEAN]: {
    nl: '{Field} moet waar of onwaar zijn (true of false).',
    en: '{Field} must be true or false.',
  },
  [SHAPE_CODES.NOT_AN_ID]: {
    nl: '{Field}: {value} is geen geldig id (een UUID zoals 0b9c3f1e-8d2a-4c6b-9f1e-2a3b4c5d6e7f).',
    en: '{Field}: {value} is not a valid id (a UUID such as 0b9c3f1e-8d2a-4c6b-9f1e-2a3b4c5d6e7f).',
  },
  [SHAPE_CODES.NOT_A_URL]: {
    nl: '{Field}: {value} is geen geldig webadres (bijv. https://voorbeeld.nl).',
    en: '{Field}: {value} is not a valid web address (e.g. https://example.org).',
  },
  [SHAPE_CODES.INVALID]: {
    nl: '{Field}: de waarde {value} is niet geldig.',
    en: '{Field}: the value {value} is not valid.',
  },
  // The CSV/FHIR import (issue 15, apps/api modules/interchange): a file that cannot be read is refused whole.
  'IMPORT.CSV_NOT_CSV': {
    nl: 'Bestand {file} is geen leesbaar CSV-bestand ({reason}). Sla het op als CSV (UTF-8, puntkomma of komma als scheidingsteken) en probeer het opnieuw.',
    en: 'File {file} is not a readable CSV file ({reason}). Save it as CSV (UTF-8, semicolon or comma as separator) and try again.',
  },
  'IMPORT.CSV_EMPTY': {
    nl: 'Bestand {file} is leeg: de eerste regel moet de kolomkoppen van het sjabloon bevatten.',
    en: 'File {file} is empty: its first line must hold the column headers of the template.',
  },
  'IMPORT.CSV_UNKNOWN_COLUMN': {
    nl: 'Bestand {file}: de kolom {value} bestaat niet voor {kind}. Gebruik de kolommen van het sjabloon ({allowed}), in het Nederlands of het Engels.',
    en: 'File {file}: the column {value} does not exist for {kind}. Use the columns of the template ({allowed}), in Dutch or English.',
  },
  'IMPORT.CSV_DUPLICATE_COLUMN': {
    nl: 'Bestand {file}: de kolom {value} staat twee keer in de kop; laat er een weg.',
    en: 'File {file}: the column {value} appears twice in the header; remove one.',
  },
  'IMPORT.CSV_MISSING_COLUMN': {
    nl: 'Bestand {file}: de kolom {column} ontbreekt; neem de kolommen van het sjabloon over.',
    en: 'File {file}: the column {columnEn} is missing; copy the columns of the template.',
  },
  'IMPORT.CSV_ROW_LENGTH': {
    nl: 'Bestand {file}, regel {row}: {count} velden, terwijl de kop er {expected} heeft. Controleer scheidingstekens en aanhalingstekens.',
    en: 'File {file}, row {row}: {count} fields while the header has {expected}. Check the separators and quotes.',
  },
  'IMPORT.CSV_VALUE_MISSING': {
    nl: 'Bestand {file}, regel {row}: {field} is leeg; vul het in.',
    en: 'File {file}, row {row}: {field} is empty; fill it in.',
  },
  'IMPORT.CSV_DATE_INVALID': {
    nl: 'Bestand {file}, regel {row}, {field}: {value} is geen bestaande datum; schrijf dd-mm-jjjj (bijv. 10-02-2025) of jjjj-mm-dd.',
    en: 'File {file}, row {row}, {field}: {value} is not an existing date; write dd-mm-yyyy (e.g. 10-02-2025) or yyyy-mm-dd.',
  },
  'IMPORT.CSV_DATE_AMBIGUOUS': {
    nl: 'Bestand {file}, regel {row}, {field}: {value} is niet eenduidig (dag en maand of de eeuw kunnen verwisseld zijn); schrijf dd-mm-jjjj of jjjj-mm-dd.',
    en: 'File {file}, row {row}, {field}: {value} is ambiguous (day and month or the century could be mixed up); write dd-mm-yyyy or yyyy-mm-dd.',
  },
  'IMPORT.CSV_NOT_AN_INTEGER': {
    nl: 'Bestand {file}, regel {row}, {field}: {value} is geen geheel getal.',
    en: 'File {file}, row {row}, {field}: {value} is not a whole number.',
  },
  'IMPORT.CSV_NOT_A_NUMBER': {
    nl: 'Bestand {file}, regel {row}, {field}: {value} is geen getal; gebruik een decimale komma of punt, zonder scheiding van duizendtallen.',
    en: 'File {file}, row {row}, {field}: {value} is not a number; use a decimal comma or point, without thousands separators.',
  },
  'IMPORT.MISSING_FOR_ENROLMENT': {
    nl: '{Field} ontbreekt voor de inschrijving; vul het aan in het bestand of in de koppeling (mapping).',
    en: '{Field} is missing for the enrolment; add it in the file or in the mapping.',
  },
  'IMPORT.DUPLICATE_ROW': {
    nl: 'Dubbel: hetzelfde gegeven staat al op regel {first} van de upload; laat een van beide weg.',
    en: 'Duplicate: the same item is already on row {first} of the upload; remove one of them.',
  },
  'IMPORT.PATIENT_NOT_FOUND': {
    nl: 'Patiënt {ref} van praktijk {practice} staat niet in de upload en is nog niet vastgelegd in dit experiment; importeer eerst de patiënten.',
    en: 'Patient {ref} of practice {practice} is not in the upload nor recorded in this experiment yet; import the patients first.',
  },
  'IMPORT.BEFORE_REFERRAL': {
    nl: 'Overgeslagen: gedateerd {date}, vóór de verwijsdatum {referralDate}; geschiedenis van vóór de verwijzing hoort niet bij het experiment.',
    en: 'Skipped: dated {date}, before the referral date {referralDate}; history from before the referral is not part of the experiment.',
  },
  'IMPORT.RECORD_REFUSED': {
    nl: 'De patiënt wordt niet geïmporteerd omdat een van zijn gegevens is geweigerd (bestand {file}, {row}); herstel dat en importeer opnieuw.',
    en: 'The patient is not imported because one of its records was refused (file {file}, {row}); correct it and import again.',
  },
  'IMPORT.PATIENT_REFUSED': {
    nl: 'Niet geïmporteerd: patiënt {ref} is geweigerd (zie de patiënt); een deel van de zorg zou verkeerd geprijsd worden.',
    en: 'Not imported: patient {ref} is refused (see the patient); part of the care would be priced wrongly.',
  },
  'IMPORT.OTHER_PRACTICE': {
    nl: 'Bestand {file}, {row}: praktijk {practice} is niet uw praktijk ({own}); u kunt alleen gegevens van uw eigen praktijk importeren.',
    en: 'File {file}, {row}: practice {practice} is not your practice ({own}); you can only import data of your own practice.',
  },
  'IMPORT.MAPPING_NOT_JSON': {
    nl: 'De koppeling (mapping) is geen geldige JSON; controleer het bestand of het formulier.',
    en: 'The mapping is not valid JSON; check the file or the form.',
  },
  'IMPORT.MAPPING_INVALID': {
    nl: 'De koppeling (mapping) heeft bij {at} een ongeldige waarde {value}; zie de beschrijving van de koppeling.',
    en: 'The mapping has an invalid value {value} at {at}; see the description of the mapping.',
  },
  'IMPORT.DIGEST_REQUIRED': {
    nl: 'De controlecode (digest) van de proefimport ontbreekt; doe eerst een proefimport.',
    en: 'The digest of the dry run is missing; do a dry run first.',
  },
  'IMPORT.FILE_CHANGED': {
    nl: 'De bestanden of de koppeling zijn veranderd sinds de proefimport; doe de proefimport opnieuw.',
    en: 'The files or the mapping changed since the dry run; do the dry run again.',
  },
  'IMPORT.NO_FILES': {
    nl: 'Er is geen bestand meegestuurd; kies een of meer bestanden.',
    en: 'No file was sent; choose one or more files.',
  },
  // The FHIR R4 import (issue 15, apps/api modules/interchange/fhir): {row} is the resource (Type/id) or the NDJSON line.
  'IMPORT.FHIR_NOT_FHIR': {
    nl: 'Bestand {file} is geen FHIR R4 ({reason}): lever een Bundle (JSON) of NDJSON met één resource per regel aan, in UTF-8.',
    en: 'File {file} is not FHIR R4 ({reason}): supply a Bundle (JSON) or NDJSON with one resource per line, in UTF-8.',
  },
  'IMPORT.FHIR_BUNDLE_TYPE': {
    nl: 'Bestand {file}: een Bundle van type {value} kan niet worden ingelezen; gebruik collection, transaction, batch of searchset.',
    en: 'File {file}: a Bundle of type {value} cannot be read; use collection, transaction, batch or searchset.',
  },
  'IMPORT.FHIR_STRUCTURE_INVALID': {
    nl: 'Bestand {file} ({row}): {path} voldoet niet aan FHIR R4 ({reason}). Corrigeer de export van het praktijksysteem.',
    en: 'File {file} ({row}): {path} does not conform to FHIR R4 ({reason}). Correct the export of the practice system.',
  },
  'IMPORT.FHIR_DUPLICATE_RESOURCE': {
    nl: 'Bestand {file} ({row}): {value} komt twee keer voor met verschillende inhoud (eerst in {first}); lever elke resource één keer aan.',
    en: 'File {file} ({row}): {value} occurs twice with different content (first in {first}); supply each resource once.',
  },
  'IMPORT.FHIR_DUPLICATE_PATIENT': {
    nl: 'Bestand {file} ({row}): patiëntnummer {value} staat al bij een andere Patient ({first}); voeg ze samen of corrigeer het nummer.',
    en: 'File {file} ({row}): patient number {value} already belongs to another Patient ({first}); merge them or correct the number.',
  },
  'IMPORT.FHIR_REFERENCE_UNRESOLVED': {
    nl: 'Bestand {file} ({row}): {path} verwijst naar {value}, maar die resource zit niet in de upload. Lever hem mee of corrigeer de verwijzing.',
    en: 'File {file} ({row}): {path} refers to {value}, but that resource is not in the upload. Include it or correct the reference.',
  },
  'IMPORT.FHIR_CODE_UNKNOWN': {
    nl: 'Bestand {file} ({row}): {path} heeft de onbekende code {value}; zie de FHIR-koppeltabel in de handleiding voor de toegestane codes.',
    en: 'File {file} ({row}): {path} has the unknown code {value}; see the FHIR mapping table in the manual for the codes accepted.',
  },
  'IMPORT.FHIR_UNIT_INVALID': {
    nl: 'Bestand {file} ({row}): de eenheid {value} past niet bij deze meting; verwacht {expected} (UCUM). De waarde wordt niet omgerekend.',
    en: 'File {file} ({row}): the unit {value} does not fit this measurement; expected {expected} (UCUM). The value is not converted.',
  },
  'IMPORT.FHIR_DATE_PARTIAL': {
    nl: 'Bestand {file} ({row}): {path} is {value}, een datum zonder dag; vul de volledige datum in (jjjj-mm-dd).',
    en: 'File {file} ({row}): {path} is {value}, a date without a day; give the full date (yyyy-mm-dd).',
  },
  'IMPORT.FHIR_DATE_MISSING': {
    nl: 'Bestand {file} ({row}): de datum ({path}) ontbreekt of is onleesbaar; vul hem in als jjjj-mm-dd.',
    en: 'File {file} ({row}): the date ({path}) is missing or unreadable; give it as yyyy-mm-dd.',
  },
  'IMPORT.FHIR_VALUE_MISSING': {
    nl: 'Bestand {file} ({row}): de meting heeft geen waarde; vul valueQuantity.value in of laat de meting weg.',
    en: 'File {file} ({row}): the measurement has no value; fill in valueQuantity.value or leave the measurement out.',
  },
  'IMPORT.FHIR_VALUE_INVALID': {
    nl: 'Bestand {file} ({row}): de waarde staat in {value}; een meting heeft valueQuantity of valueInteger.',
    en: 'File {file} ({row}): the value is given as {value}; a measurement needs valueQuantity or valueInteger.',
  },
  'IMPORT.FHIR_SESSION_KIND_UNKNOWN': {
    nl: 'Bestand {file} ({row}): de soort behandeling is niet af te leiden (encounter-klasse {value}); gebruik klasse AMB, HH of VR of een session-kind-code.',
    en: 'File {file} ({row}): the kind of session cannot be derived (encounter class {value}); use class AMB, HH or VR or a session-kind code.',
  },
  'IMPORT.FHIR_SEVERITY_MISSING': {
    nl: 'Bestand {file} ({row}): de ernst van de exacerbatie ontbreekt; vul Condition.severity in (SNOMED 6736007 matig of 24484000 ernstig).',
    en: 'File {file} ({row}): the severity of the exacerbation is missing; fill in Condition.severity (SNOMED 6736007 moderate or 24484000 severe).',
  },
  'IMPORT.FHIR_STATUS_NOT_DONE': {
    nl: 'Bestand {file} ({row}): overgeslagen, de status zegt dat het niet (zo) is uitgevoerd.',
    en: 'File {file} ({row}): skipped, its status says it was not done (as recorded).',
  },
  'IMPORT.FHIR_STATUS_NOT_IN_FORCE': {
    nl: 'Bestand {file} ({row}): overgeslagen, de status zegt dat het is ingetrokken of onjuist ingevoerd.',
    en: 'File {file} ({row}): skipped, its status says it was revoked or entered in error.',
  },
  // Accounts (issue 16, apps/api modules/users and auth): the administrator's user form and the own password change.
  'USER.USERNAME_INVALID': {
    nl: 'De gebruikersnaam {value} is ongeldig: gebruik 2 tot 64 tekens, alleen kleine letters, cijfers en . _ @ -, en begin met een letter of cijfer (bijv. j.jansen).',
    en: 'The user name {value} is not valid: use 2 to 64 characters, only lower-case letters, digits and . _ @ -, starting with a letter or digit (e.g. j.jansen).',
  },
  'USER.USERNAME_TAKEN': {
    nl: 'Er bestaat al een gebruiker {value}; kies een andere gebruikersnaam.',
    en: 'A user {value} already exists; choose another user name.',
  },
  'USER.PRACTICE_REQUIRED': {
    nl: 'Een praktijkgebruiker hoort bij minstens één praktijk; vul de AGB-code in.',
    en: 'A practice user belongs to at least one practice; enter its AGB code.',
  },
  'USER.PRACTICES_NOT_ALLOWED': {
    nl: 'Alleen een praktijkgebruiker hoort bij een praktijk; laat de AGB-codes leeg of kies de rol praktijk.',
    en: 'Only a practice user belongs to a practice; leave the AGB codes empty or choose the practice role.',
  },
  'USER.INSURER_REQUIRED': {
    nl: 'Een verzekeraargebruiker hoort bij één zorgverzekeraar; vul de UZOVI-code in.',
    en: 'An insurer user belongs to one health insurer; enter its UZOVI code.',
  },
  'USER.INSURER_NOT_ALLOWED': {
    nl: 'Alleen een verzekeraargebruiker hoort bij een zorgverzekeraar; laat de UZOVI-code leeg of kies de rol verzekeraar.',
    en: 'Only an insurer user belongs to a health insurer; leave the UZOVI code empty or choose the insurer role.',
  },
  'USER.UNKNOWN_PRACTICE': {
    nl: 'Er is geen praktijk met AGB-code {value}; leg de praktijk eerst vast of controleer de code.',
    en: 'There is no practice with AGB code {value}; record the practice first or check the code.',
  },
  'USER.UNKNOWN_INSURER': {
    nl: 'Er is geen zorgverzekeraar met UZOVI-code {value}; leg de verzekeraar eerst vast of controleer de code.',
    en: 'There is no health insurer with UZOVI code {value}; record the insurer first or check the code.',
  },
  'USER.PASSWORD_TOO_SHORT': {
    nl: 'Kies een wachtwoord van minstens {min} tekens (nu {length}); een zin van vier of meer woorden is makkelijk te onthouden.',
    en: 'Choose a password of at least {min} characters (now {length}); a sentence of four or more words is easy to remember.',
  },
  'USER.PASSWORD_TOO_LONG': {
    nl: 'Kies een wachtwoord van hoogstens {max} tekens.',
    en: 'Choose a password of at most {max} characters.',
  },
  'USER.PASSWORD_BLANK': {
    nl: 'Het wachtwoord bestaat alleen uit spaties; kies woorden, letters of cijfers.',
    en: 'The password consists of spaces only; choose words, letters or digits.',
  },
  // The advice is zxcvbn's feedback, computed in both languages by the password policy (apps/api password-policy.ts).
  'USER.PASSWORD_WEAK': {
    nl: (t) =>
      ['Dit wachtwoord is te makkelijk te raden.', String(t.raw('adviceNl') ?? ''),
        'Kies bijvoorbeeld vier of meer willekeurige woorden die niet bij u, uw organisatie of deze toepassing horen.'].filter(Boolean).join(' '),
    en: (t) =>
      ['This password is too easy to guess.', String(t.raw('adviceEn') ?? ''),
        'Choose for example four or more random words that have nothing to do with you, your organisation or this application.'].filter(Boolean).join(' '),
  },
  'AUTH.CURRENT_PASSWORD_WRONG': {
    nl: 'Uw huidige wachtwoord klopt niet; vul het wachtwoord in waarmee u zich hebt aangemeld.',
    en: 'Your current password is not right; enter the password you signed in with.',
  },
  'API_TOKEN.ORGANISATION': {
    nl: 'Geef precies één organisatie op: de AGB-code van een praktijk of de UZOVI-code van een verzekeraar.',
    en: "Give exactly one organisation: a practice's AGB code or an insurer's UZOVI code.",
  },
  'API_TOKEN.EXPIRES_IN_PAST': {
    nl: 'De laatste geldige dag {value} ligt in het verleden; kies vandaag ({today}) of later.',
    en: 'The last valid day {value} is in the past; choose today ({today}) or later.',
  },
  'AUTH.PASSWORD_UNCHANGED': {
    nl: 'Het nieuwe wachtwoord is hetzelfde als het huidige; kies een ander wachtwoord.',
    en: 'The new password is the same as the current one; choose a different password.',
  },
  // The exchange document's schema check (modules/exchange) reports a date without params.
  'SHAPE.DATE': {
    nl: 'Geen bestaande datum; gebruik het formaat JJJJ-MM-DD (bijv. 2025-02-10).',
    en: 'Not an existing date; use the format YYYY-MM-DD (e.g. 2025-02-10).',
  },
};

function rangeText(t: TemplateTools, words: { between: string; min: string; max: string; entered: string }): string {
  const bound = t.has('min') && t.has('max') ? words.between : t.has('min') ? words.min : words.max;
  const filled = bound.replace('{min}', t.has('min') ? t.p('min') : '').replace('{max}', t.has('max') ? t.p('max') : '');
  const field = t.field.charAt(0).toUpperCase() + t.field.slice(1);
  return `${field} ${filled} (${words.entered}: ${formatEnteredValue(t.raw('value'), t.lang)}).`;
}

/** Whether the catalogue has a text for a code. */
export function hasMessage(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(MESSAGES, code);
}

/**
 * A code's message in a language from its params and path; throws when the code is unknown or a param is missing.
 * The validators call it for their Dutch message, so a message that cannot be built fails their tests.
 */
export function renderMessage(code: string, params: MessageParams, path: string, lang: MessageLanguage): string {
  const texts = MESSAGES[code];
  if (!texts) throw new Error(`no message for ${code}`);
  return renderTemplate(texts[lang], params, path, lang);
}

/**
 * The text of a violation in the user's language, by its code: what the dashboard shows and the API answers.
 * An unknown code, or a violation without the params its template needs, keeps the message it came with.
 */
export function formatViolation(v: Pick<Violation, 'code' | 'path' | 'message' | 'params'>, language: string): string {
  const texts = MESSAGES[v.code];
  if (!texts) return v.message;
  try {
    return renderTemplate(texts[messageLanguage(language)], v.params ?? {}, v.path, messageLanguage(language));
  } catch (error) {
    if (error instanceof MissingParam) return v.message;
    throw error;
  }
}

/** The same violation with its message in the language (the API's answer in the request's language). */
export function localizeViolation<V extends Violation>(v: V, language: string): V {
  const message = formatViolation(v, language);
  return message === v.message ? v : { ...v, message };
}

