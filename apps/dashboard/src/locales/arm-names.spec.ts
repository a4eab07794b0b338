import { ARM_WORDS } from '@copd/domain';
import { en } from './en';
import { nl } from './nl';

/** Every string of a locale, with its key path. */
function strings(tree: unknown, path = ''): [string, string][] {
  if (typeof tree === 'string') return [[path, tree]];
  if (tree && typeof tree === 'object') return Object.entries(tree).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}

describe('arm names in the locales', () => {
  it('should take the arms from the domain when the locales are built', () => {
    // The same objects, not copies: one place to change a name.
    expect(nl.arms).toBe(ARM_WORDS.nl.short);
    expect(nl.armsLong).toBe(ARM_WORDS.nl.long);
    expect(en.arms).toBe(ARM_WORDS.en.short);
    expect(en.armsLong).toBe(ARM_WORDS.en.long);
  });

  it('should call the FFS arm by no other Dutch name when every nl text is read', () => {
    const wrong = strings(nl).filter(([, text]) => /per sessie|betaling per behandeling|sessie \(FFS\)/i.test(text));
    expect(wrong).toEqual([]);
    // The comparison texts name the difference with the one in-text form.
    expect(nl.comparison.differenceHead).toBe('Verschil bundel − per verrichting');
    expect(nl.evaluator.title).toBe('Evaluatie: bundel tegenover betaling per verrichting');
    expect(nl.insurer.ffsIntake).toBe('Intake (per verrichting)');
  });

  it('should use the reviewed Dutch wording when the comparison is explained', () => {
    expect(nl.evaluator.comparisonIntro).toContain('het minimaal detecteerbare verschil (MDV, bij een onderscheidend vermogen van 80%)');
    expect(nl.groups.sixMwt).toBe('Zesminutenwandeltest');
    const english = strings(nl).filter(([, text]) => /\bpower\b|6-minuten|de minimaal detecteerbare/i.test(text));
    expect(english).toEqual([]);
  });
});
