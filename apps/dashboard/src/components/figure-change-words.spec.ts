import { figureName, figureValue } from './figure-change-words';
import { nl } from '../locales/nl';
import { en } from '../locales/en';
import type { Translate } from '../charts/chart-types';

/** A translate over a locale object: 'a.b.c' looks up the nested key (no interpolation needed here). */
const translate = (messages: object): Translate =>
  ((key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages)) as Translate;

describe('figure-change-words', () => {
  it.each([
    ['BUNDLE.n', 'Bundel: n', 'Bundle: n'],
    ['FFS.value', 'Per verrichting: waarde', 'Fee-for-service: value'],
    ['BUNDLE.ciLow', 'Bundel: 95%-BI ondergrens', 'Bundle: 95% CI lower bound'],
    ['difference.mdd', 'Verschil: MDV', 'Difference: MDD'],
    ['clustered.difference.ciHigh', 'Verschil, geclusterd: 95%-BI bovengrens', 'Difference, clustered: 95% CI upper bound'],
  ])('should name %s in words when the language is Dutch or English', (figure, dutch, english) => {
    expect(figureName(figure, translate(nl))).toBe(dutch);
    expect(figureName(figure, translate(en))).toBe(english);
  });

  it.each([
    // An arm's euro value: cents, no sign.
    ['FFS.value', 405.625, 'EUR', false, '€ 405,63'],
    // A change of euros: after - before = 412.50 - 405.00 = 7.50, its '+' after the symbol as nl-NL puts a '-';
    // and 398.00 - 405.00 = -7.00.
    ['FFS.value', 7.5, 'EUR', true, '€ +7,50'],
    ['FFS.value', -7, 'EUR', true, '€ -7,00'],
    // An arm's share 0.125 reads 12,5%; its change 0.111 - 0.125 = -0.014 reads as percentage points: -1,4 pp.
    ['BUNDLE.value', 0.125, 'fraction', false, '12,5%'],
    ['BUNDLE.value', -0.014, 'fraction', true, '-1,4 pp'],
    // The difference of shares is in percentage points already before and after: 0.031 -> 3,1 pp.
    ['difference.value', 0.031, 'fraction', false, '3,1 pp'],
    // Counts are whole numbers; a change of n 41 - 40 = 1 reads +1.
    ['FFS.n', 41, 'EUR', false, '41'],
    ['FFS.n', 1, 'EUR', true, '+1'],
    // Sessions per care quarter (2 decimals): 2.3456 -> 2,35; a change of 2.38 - 2.346 = 0.034 -> +0,03.
    ['FFS.value', 2.3456, 'sessions', false, '2,35'],
    ['FFS.value', 0.034, 'sessions', true, '+0,03'],
  ])('should format %s = %s %s (change: %s) as %s when shown in the comparison view', (figure, value, unit, change, expected) => {
    // Intl writes a no-break space between € and the amount.
    expect(figureValue(figure, value, unit, change).replace(/\u00a0/g, ' ')).toBe(expected);
  });

  it('should show a dash when the figure has no value', () => {
    expect(figureValue('difference.ciLow', null, 'EUR')).toBe('–');
  });
});
