import { isIsoDate } from '../dates/calendar-date';
import type { Instrument } from '../model';
import {
  fieldLabel,
  fieldOfPath,
  GENERAL_PATTERN_HINT,
  INSTRUMENT_LABELS,
  PATTERN_HINTS,
  type MessageLanguage,
} from './field-labels';

/** Params of a violation: the value entered, the limits, the dates a rule compared (ISO). */
export type MessageParams = Readonly<Record<string, string | number | null>>;

/** What a function template may read; each accessor throws MissingParam when the violation lacks the param. */
export interface TemplateTools {
  lang: MessageLanguage;
  /** A param as a sentence shows it: dates dd-mm-jjjj (nl) or 2025-02-10 (en), decimals with a comma in nl. */
  p(name: string): string;
  /** A param as sent (for counts and choices). */
  raw(name: string): string | number | null;
  has(name: string): boolean;
  /** The field's name in the language ('geboortejaar'). */
  field: string;
  /** The violation's path ('bundle.intake'). */
  path: string;
}

/** A template: text with {param} placeholders, or a function where the sentence depends on a count. */
export type MessageTemplate = string | ((t: TemplateTools) => string);

export interface MessageTexts {
  nl: MessageTemplate;
  en: MessageTemplate;
}

/** Thrown inside rendering when a placeholder has no param; the caller then keeps the message it was given. */
export class MissingParam extends Error {
  constructor(readonly param: string) {
    super(`missing message param ${param}`);
  }
}

/** A calendar date the way the language writes it: 10-02-2025 (nl), 2025-02-10 (en, unambiguous). */
export function formatMessageDate(date: string, lang: MessageLanguage): string {
  if (!isIsoDate(date)) return date;
  return lang === 'nl' ? `${date.slice(8, 10)}-${date.slice(5, 7)}-${date.slice(0, 4)}` : date;
}

/** A number with the language's decimal mark and no grouping (a year stays 1956): 2.25 -> '2,25' in nl. */
function formatMessageNumber(value: number, lang: MessageLanguage): string {
  const text = String(value);
  return lang === 'nl' ? text.replace('.', ',') : text;
}

/**
 * The value a user entered inside a sentence: a number as the language writes it, a text in quotes and cut at 40
 * characters (no object or huge string gets through), nothing as "(leeg)".
 */
export function formatEnteredValue(value: string | number | null | undefined, lang: MessageLanguage): string {
  if (value === null || value === undefined || value === '') return lang === 'nl' ? '(leeg)' : '(empty)';
  if (typeof value === 'number') return formatMessageNumber(value, lang);
  const text = `'${value}'`;
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function formatParam(value: string | number | null, lang: MessageLanguage): string {
  if (value === null) return lang === 'nl' ? '(leeg)' : '(empty)';
  if (typeof value === 'number') return formatMessageNumber(value, lang);
  return isIsoDate(value) ? formatMessageDate(value, lang) : value;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function tools(params: MessageParams, path: string, lang: MessageLanguage): TemplateTools {
  const raw = (name: string) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) throw new MissingParam(name);
    return params[name];
  };
  return {
    lang,
    raw,
    has: (name) => Object.prototype.hasOwnProperty.call(params, name),
    p: (name) => formatParam(raw(name), lang),
    field: fieldLabel(path, lang),
    path,
  };
}

/** Placeholders every violation can fill from its path and params, besides its own params. */
function special(name: string, t: TemplateTools, path: string): string | undefined {
  switch (name) {
    case 'value':
      return formatEnteredValue(t.raw('value'), t.lang);
    case 'field':
      return t.field;
    case 'Field':
      return capitalised(t.field);
    case 'path':
      return path;
    case 'collection':
      return path.replace(/\[\d+\]$/, '');
    case 'scale': {
      const instrument = t.raw('instrument') as Instrument;
      const label = INSTRUMENT_LABELS[instrument];
      if (!label) throw new MissingParam('instrument');
      return label[t.lang];
    }
    case 'hint':
      return (PATTERN_HINTS[fieldOfPath(path)] ?? GENERAL_PATTERN_HINT)[t.lang];
    default:
      return undefined;
  }
}

/** The text of a template with its placeholders filled; throws MissingParam when the params cannot fill one. */
export function renderTemplate(
  template: MessageTemplate,
  params: MessageParams,
  path: string,
  lang: MessageLanguage,
): string {
  const t = tools(params, path, lang);
  if (typeof template === 'function') return template(t);
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => special(name, t, path) ?? t.p(name));
}

/** The placeholders of a string template ('{value}', '{min}'): the catalogue spec checks each one is fillable. */
export function placeholdersOf(template: MessageTemplate): string[] {
  if (typeof template === 'function') return [];
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
}
