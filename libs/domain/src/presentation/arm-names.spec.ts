import { ARM_WORDS } from './arm-names';

describe('arm names', () => {
  it('should name the FFS arm "per verrichting" in every Dutch form when the Dutch words are read', () => {
    const nl = ARM_WORDS.nl;
    expect(nl.short).toEqual({ BUNDLE: 'Bundel', FFS: 'Per verrichting' });
    expect(nl.long).toEqual({ BUNDLE: 'Bundelbekostiging', FFS: 'Betaling per verrichting (FFS)' });
    expect(nl.inText).toEqual({ BUNDLE: 'bundel', FFS: 'per verrichting' });
    expect(nl.difference).toBe('bundel − per verrichting');
    expect(nl.differenceWords).toBe('bundel min per verrichting');
  });

  it('should never use "sessie" for an arm when any language is read', () => {
    const every = Object.values(ARM_WORDS).flatMap((w) => [...Object.values(w.short), ...Object.values(w.long), ...Object.values(w.inText), w.difference, w.differenceWords]);
    expect(every.filter((text) => /sessi/i.test(text))).toEqual([]);
  });

  it('should build the in-text difference from the in-text names when either language is read', () => {
    for (const w of Object.values(ARM_WORDS)) expect(w.difference).toBe(`${w.inText.BUNDLE} − ${w.inText.FFS}`);
  });
});
