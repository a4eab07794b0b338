import type { MessageLanguage } from '@copd/domain';

/**
 * The language of a request's messages, from its Accept-Language header (RFC 9110 12.5.4): the supported language
 * (nl or en) with the highest weight, the first one listed on a tie; Dutch when the header is absent or names
 * neither, because the users are Dutch practices. 'en-GB,en;q=0.9' -> en; 'de, en;q=0.5' -> en; 'fr' -> nl.
 */
export function requestLanguage(header: string | string[] | undefined): MessageLanguage {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { lang: MessageLanguage; weight: number } | undefined;
  for (const part of value.split(',')) {
    const [tag, ...options] = part.trim().toLowerCase().split(';');
    const lang = tag === 'en' || tag.startsWith('en-') ? 'en' : tag === 'nl' || tag.startsWith('nl-') ? 'nl' : undefined;
    if (!lang) continue;
    const q = options.map((o) => o.trim()).find((o) => o.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (!Number.isFinite(weight) || weight <= 0) continue;
    if (!best || weight > best.weight) best = { lang, weight };
  }
  return best?.lang ?? 'nl';
}
