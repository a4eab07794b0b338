import { ZxcvbnFactory, type TranslationKeys } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations as ENGLISH } from '@zxcvbn-ts/language-en';
import { renderMessage, type Violation } from '@copd/domain';

/**
 * The password policy of accounts (issue 10, L3). Length alone let `aaaaaaaaaaaa`, `password1234` and twelve
 * spaces through; NIST SP 800-63B asks for a minimum length plus a check against commonly used, expected and
 * context-specific passwords instead of composition rules. So: at least 12 characters, not only whitespace,
 * and a zxcvbn score of at least 3 ("safely unguessable", more than 10^8 guesses) with the account's own words
 * (username, display name, organisation names and codes) and this application's words as extra dictionary.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
export const PASSWORD_MIN_SCORE = 3;

/** Words anyone guessing a password for this application would try first. */
export const PRODUCT_WORDS = [
  'copd', 'fysio', 'fysiotherapie', 'fysiotherapeut', 'oefentherapie', 'bundel', 'bundelbekostiging', 'nza',
  'wachtwoord', 'welkom', 'praktijk', 'verzekeraar', 'evaluator', 'beheerder', 'admin', 'experiment', 'longen',
];

/** Who the password is for: every word here counts as guessable. */
export interface PasswordContext {
  username: string;
  displayName?: string | null;
  /** Names and codes (AGB, UZOVI) of the practices or insurer the account is bound to. */
  organisations?: readonly string[];
}

export const PASSWORD_CODES = {
  TOO_SHORT: 'USER.PASSWORD_TOO_SHORT',
  TOO_LONG: 'USER.PASSWORD_TOO_LONG',
  BLANK: 'USER.PASSWORD_BLANK',
  WEAK: 'USER.PASSWORD_WEAK',
} as const;

/** Every reason the password is refused (empty when it is accepted), with Dutch messages under the path `password`. */
export function checkPassword(password: string, context: PasswordContext): Violation[] {
  const found: Violation[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    found.push(violation(PASSWORD_CODES.TOO_SHORT, { min: PASSWORD_MIN_LENGTH, length }));
  }
  if (length > PASSWORD_MAX_LENGTH) {
    found.push(violation(PASSWORD_CODES.TOO_LONG, { max: PASSWORD_MAX_LENGTH, length }));
    return found;
  }
  if (password.trim() === '') {
    found.push(violation(PASSWORD_CODES.BLANK, {}));
    return found;
  }
  const words = contextWords(context);
  const result = estimator('nl').check(password, words);
  if (result.score < PASSWORD_MIN_SCORE) {
    // zxcvbn words its feedback in one language per estimator: the advice in both, for the catalogue's template.
    found.push(
      violation(PASSWORD_CODES.WEAK, {
        score: result.score,
        minScore: PASSWORD_MIN_SCORE,
        adviceNl: advice(result.feedback),
        adviceEn: advice(estimator('en').check(password, words).feedback),
      }),
    );
  }
  return found;
}

/** A refusal under the path `password` with its Dutch text from the catalogue (libs/domain messages.ts). */
function violation(code: string, params: Record<string, string | number>): Violation {
  return { code, path: 'password', message: renderMessage(code, params, 'password', 'nl'), params };
}

function advice(feedback: { warning: string | null; suggestions: string[] }): string {
  return [...new Set([feedback.warning, ...feedback.suggestions].filter((s): s is string => Boolean(s)))].join(' ');
}

/**
 * The guessable words of an account: each value whole, without punctuation, and each of its parts
 * ("j.jansen" gives j.jansen, jjansen, jansen), plus the product words. Parts shorter than 3 are left out.
 */
export function contextWords(context: PasswordContext): string[] {
  const values = [context.username, context.displayName ?? '', ...(context.organisations ?? [])];
  const words = new Set<string>(PRODUCT_WORDS);
  for (const value of values) {
    const lower = value.toLowerCase().trim();
    for (const word of [lower, lower.replace(/[^\p{L}\p{N}]+/gu, ''), ...lower.split(/[^\p{L}\p{N}]+/u)]) {
      if ([...word].length >= 3) words.add(word);
    }
  }
  return [...words];
}

const factories: Partial<Record<'nl' | 'en', ZxcvbnFactory>> = {};

/**
 * Built once per language (about 50 ms for the dictionaries); the English one only when a password is refused.
 * Levenshtein matching stays off: it costs 300 ms a check.
 */
function estimator(lang: 'nl' | 'en'): ZxcvbnFactory {
  factories[lang] ??= new ZxcvbnFactory({
    translations: lang === 'nl' ? DUTCH : ENGLISH,
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...englishDictionary },
  });
  return factories[lang];
}

/** zxcvbn's feedback in Dutch (the library ships English; these follow its keys one to one). */
const DUTCH: TranslationKeys = {
  warnings: {
    straightRow: 'Een rij toetsen naast elkaar is makkelijk te raden.',
    keyPattern: 'Korte patronen op het toetsenbord zijn makkelijk te raden.',
    simpleRepeat: 'Herhaalde tekens zoals "aaa" zijn makkelijk te raden.',
    extendedRepeat: 'Herhaalde patronen zoals "abcabcabc" zijn makkelijk te raden.',
    sequences: 'Reeksen zoals "abc" of "1234" zijn makkelijk te raden.',
    recentYears: 'Recente jaartallen zijn makkelijk te raden.',
    dates: 'Datums zijn makkelijk te raden.',
    topTen: 'Dit is een van de meest gebruikte wachtwoorden.',
    topHundred: 'Dit is een zeer veel gebruikt wachtwoord.',
    common: 'Dit is een veel gebruikt wachtwoord.',
    similarToCommon: 'Dit lijkt op een veel gebruikt wachtwoord.',
    wordByItself: 'Eén woord is makkelijk te raden.',
    namesByThemselves: 'Losse voor- of achternamen zijn makkelijk te raden.',
    commonNames: 'Veelvoorkomende namen zijn makkelijk te raden.',
    userInputs: 'Het bevat uw gebruikersnaam, naam, organisatie of een woord van deze toepassing.',
    pwned: 'Dit wachtwoord is bij een datalek op internet uitgelekt.',
  },
  suggestions: {
    l33t: 'Letters vervangen door tekens die erop lijken (zoals @ voor a) helpt weinig.',
    reverseWords: 'Achterstevoren gespelde woorden helpen weinig.',
    allUppercase: 'Gebruik enkele hoofdletters, niet alleen hoofdletters.',
    capitalization: 'Alleen de eerste letter als hoofdletter helpt weinig.',
    dates: 'Vermijd datums en jaartallen die met u te maken hebben.',
    recentYears: 'Vermijd recente jaartallen.',
    associatedYears: 'Vermijd jaartallen die met u te maken hebben.',
    sequences: 'Vermijd reeksen zoals "abc" of "1234".',
    repeated: 'Vermijd herhaalde woorden en tekens.',
    longerKeyboardPattern: 'Gebruik geen patronen op het toetsenbord.',
    anotherWord: 'Voeg meer, minder gewone woorden toe.',
    useWords: 'Gebruik meerdere woorden, maar geen bekende uitdrukking.',
    noNeed: 'Symbolen, cijfers of hoofdletters zijn niet nodig voor een sterk wachtwoord.',
    pwned: 'Gebruikt u dit wachtwoord ergens anders, verander het daar dan ook.',
  },
  timeEstimation: {
    ltSecond: 'minder dan een seconde',
    second: '{base} seconde',
    seconds: '{base} seconden',
    minute: '{base} minuut',
    minutes: '{base} minuten',
    hour: '{base} uur',
    hours: '{base} uur',
    day: '{base} dag',
    days: '{base} dagen',
    month: '{base} maand',
    months: '{base} maanden',
    year: '{base} jaar',
    years: '{base} jaar',
    centuries: 'eeuwen',
  },
};
