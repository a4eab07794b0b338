/*
 * Numbers as a practice types them. The API takes JSON numbers; the form takes text. A single ',' or '.' is the
 * decimal mark in both languages: Dutch users write a comma, the numeric keypad gives a dot, and a measured value
 * (CCQ 2,3; 6MWT 412,5 m) never needs a thousands separator. Only when both marks appear does the language decide
 * which one groups thousands (nl 1.234,5; en 1,234.5), in groups of exactly three digits. Anything else is not a
 * number: the form sends the typed text as it is, so the API names the field and shows what was typed
 * (SHAPE.NOT_A_NUMBER), instead of the form guessing a value.
 */
export type NumberLanguage = 'nl' | 'en';

export type DecimalInput =
  | { kind: 'empty' }
  | { kind: 'number'; value: number }
  | { kind: 'invalid'; text: string };

const SPACES = /[\s\u00a0\u202f]/g;
const PLAIN = /^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/;

function languageOf(lang: string): NumberLanguage {
  return lang.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

/** '12,5' -> 12.5 (nl and en), '12.5' -> 12.5, '1.234,5' -> 1234.5 (nl), '1,234.5' -> 1234.5 (en), '' -> empty. */
export function parseDecimal(text: string | null | undefined, lang: string): DecimalInput {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return { kind: 'empty' };
  const compact = trimmed.replace(SPACES, '');
  if (PLAIN.test(compact)) return { kind: 'number', value: Number(compact.replace(',', '.')) };
  const [group, decimal] = languageOf(lang) === 'nl' ? ['.', ','] : [',', '.'];
  const grouped = new RegExp(`^([+-]?)(\\d{1,3}(?:\\${group}\\d{3})+)(?:\\${decimal}(\\d+))?$`).exec(compact);
  // Grouping alone ('1.234' in nl) is a single mark and read as decimal above; here a grouped number has either
  // two or more group marks ('1.234.567') or a decimal mark after the groups ('1.234,5').
  if (grouped && (grouped[3] !== undefined || grouped[2].split(group).length > 2)) {
    const digits = grouped[2].split(group).join('');
    return { kind: 'number', value: Number(`${grouped[1]}${digits}${grouped[3] ? `.${grouped[3]}` : ''}`) };
  }
  return { kind: 'invalid', text: trimmed };
}

/**
 * What a form sends for a number field: the number; the typed text when it is no number (the API answers
 * SHAPE.NOT_A_NUMBER with that text); nothing when the field is empty (the API answers SHAPE.REQUIRED), never a
 * silent 0.
 */
export function decimalForApi(text: string | null | undefined, lang: string): number | string | undefined {
  const parsed = parseDecimal(text, lang);
  if (parsed.kind === 'number') return parsed.value;
  return parsed.kind === 'invalid' ? parsed.text : undefined;
}

/** A number back into a form field (a correction dialog): 12.5 -> '12,5' in nl, '12.5' in en; no grouping. */
export function formatDecimal(value: number | null | undefined, lang: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const text = String(value);
  return languageOf(lang) === 'nl' ? text.replace('.', ',') : text;
}
