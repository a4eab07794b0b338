import { measurementFormHref, recordInitialFromSearch } from './record-links';

describe('links to a pre-filled record form', () => {
  it('should link a worklist row to the measurement form with CCQ for CCQ_OR_CAT when the row asks for CCQ or CAT', () => {
    expect(measurementFormHref('7b0c', 'CCQ_OR_CAT', '2026-12-01')).toBe('/patienten/7b0c?registreer=meting&instrument=CCQ&datum=2026-12-01#registreren');
    expect(measurementFormHref('7b0c', 'SIX_MWT', '2026-12-15')).toBe('/patienten/7b0c?registreer=meting&instrument=SIX_MWT&datum=2026-12-15#registreren');
  });

  it('should read the pre-fill back when the address carries it', () => {
    const href = measurementFormHref('7b0c', 'SIX_MWT', '2026-12-15');
    const search = new URLSearchParams(href.slice(href.indexOf('?') + 1, href.indexOf('#')));
    expect(recordInitialFromSearch(search)).toEqual({ type: 'measurement', instrument: 'SIX_MWT', date: '2026-12-15' });
  });

  it('should ignore an unknown instrument or a malformed date when the address was typed by hand', () => {
    expect(recordInitialFromSearch(new URLSearchParams('registreer=meting&instrument=XYZ&datum=15-12-2026'))).toEqual({ type: 'measurement' });
    expect(recordInitialFromSearch(new URLSearchParams('registreer=behandeling'))).toEqual({ type: 'session' });
    expect(recordInitialFromSearch(new URLSearchParams(''))).toBeUndefined();
  });
});
