import i18next from 'i18next';
import type { Translate } from '../charts/chart-types';
import { en } from '../locales/en';
import { nl } from '../locales/nl';
import type { FilterOptions } from './filter-bar';
import { filtersInWords } from './filter-words';

const i18n = i18next.createInstance();
void i18n.init({ resources: { nl: { translation: nl }, en: { translation: en } }, lng: 'nl', initAsync: false, interpolation: { escapeValue: false }, showSupportNotice: false });
const tr = (language: 'nl' | 'en') => i18n.getFixedT(language) as unknown as Translate;

const options: FilterOptions = {
  practices: [{ agb: '12345678', name: 'Fysio Noord' }],
  insurers: [{ uzovi: '3311', name: 'Zorgverzekeraar Noord' }],
  regions: ['Drenthe'],
};

describe('the applied filters in words', () => {
  it('should say all patients when no filter is applied', () => {
    expect(filtersInWords({}, options, tr('nl'), 'nl')).toBe('alle patiënten (geen filter)');
    expect(filtersInWords({}, options, tr('en'), 'en')).toBe('all patients (no filter)');
  });

  it('should name GOLD stages and profiles joined by "en" when several are applied', () => {
    expect(filtersInWords({ goldStage: [3, 4], profile: [4] }, options, tr('nl'), 'nl')).toBe('GOLD-stadium 3 en 4; KNGF-profiel 4');
    expect(filtersInWords({ goldStage: [2, 3, 4] }, options, tr('en'), 'en')).toBe('GOLD stage 2, 3 and 4');
  });

  it('should name a practice and an insurer by name and code, and the intake window by its dates, when they are applied', () => {
    const filters = { intakeFrom: '2025-01-01', intakeTo: '2025-12-31', practice: ['12345678'], insurer: ['3311'], region: ['Drenthe'] };
    expect(filtersInWords(filters, options, tr('nl'), 'nl')).toBe(
      'intake van 1 januari 2025 tot en met 31 december 2025; Praktijk Fysio Noord (12345678); Verzekeraar Zorgverzekeraar Noord (3311); Regio Drenthe',
    );
  });

  it('should keep the code alone when the practice is not among the options', () => {
    expect(filtersInWords({ practice: ['87654321'], intakeTo: '2026-06-30' }, options, tr('nl'), 'nl')).toBe('intake tot en met 30 juni 2026; Praktijk 87654321');
  });
});
