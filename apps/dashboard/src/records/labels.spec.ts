import i18next from 'i18next';
import { en } from '../locales/en';
import { nl } from '../locales/nl';
import { fieldLabel, historyValue, nextDueText } from './labels';

const i18n = i18next.createInstance();
void i18n.init({ resources: { nl: { translation: nl }, en: { translation: en } }, lng: 'nl', fallbackLng: 'nl', interpolation: { escapeValue: false }, initAsync: false });
const t = i18n.getFixedT('nl');
const tEn = i18n.getFixedT('en');

describe('the words of the record pages', () => {
  it('should write a history value as the page shows it when it is a date, a code, a number or empty', () => {
    expect(historyValue('endDate', '2026-12-01', t, 'nl')).toBe('1 december 2026');
    expect(historyValue('endDate', null, t, 'nl')).toBe('(leeg)');
    expect(historyValue('endReason', 'COMPLETED', t, 'nl')).toBe('behandeling afgerond');
    expect(historyValue('kind', 'HOME', t, 'nl')).toBe('aan huis');
    expect(historyValue('kind', 'EXACERBATION_SEVERE', t, 'nl')).toBe('ernstige exacerbatie');
    // A CCQ of 2.4 reads with a decimal comma, a 6MWT of 1234 m without grouping noise beyond nl-NL's own.
    expect(historyValue('value', 2.4, t, 'nl')).toBe('2,4');
    expect(historyValue('value', 1234, t, 'nl')).toBe('1.234');
    expect(historyValue('endReason', 'COMPLETED', tEn, 'en')).toBe('treatment completed');
  });

  it("should name a changed field with the page's label and keep the API's name when the page has none", () => {
    expect(fieldLabel('value', t)).toBe('Waarde');
    expect(fieldLabel('intakeDate', tEn)).toBe('Intake date');
    expect(fieldLabel('bsnHash', t)).toBe('bsnHash');
  });

  it('should say the instrument, the milestone and the window dates when a measurement is due next', () => {
    const due = { instrument: 'CCQ_OR_CAT', milestone: 'FOLLOWUP_3M', windowStart: '2026-11-20', windowEnd: '2027-01-03', status: 'DUE' } as const;
    expect(nextDueText(due, t, 'nl')).toBe('CCQ of CAT, vervolgmeting na 3 maanden: 20 november 2026 – 3 januari 2027');
    expect(nextDueText(due, tEn, 'en')).toBe('CCQ or CAT, follow-up at 3 months: 20 November 2026 – 3 January 2027');
  });
});
