/*
 * The one place that names the two arms, in Dutch and English, for every screen and the monitoring report.
 * The experiment compares bundled payment with the regular Dutch payment of physiotherapy, which the NZa
 * (Beleidsregel experiment COPD, BR/REG-25147) describes as payment per performance ("prestatie"): in Dutch
 * health-care financing fee-for-service is "betaling per verrichting" (verrichtingenbekostiging). A physiotherapy
 * treatment itself is a "behandeling" (the NZa's performance is a "zitting"); "sessie" is not the NZa's word.
 */
import type { Arm } from '../model';

export interface ArmWords {
  /** Short label in tables, legends and filters: "Bundel", "Per verrichting". */
  short: Record<Arm, string>;
  /** Full name in headings and the record: "Bundelbekostiging", "Betaling per verrichting (FFS)". */
  long: Record<Arm, string>;
  /** Inside a sentence (lower case in Dutch): "bundel", "per verrichting". */
  inText: Record<Arm, string>;
  /** The difference the comparison shows, inside a sentence: "bundel − per verrichting". */
  difference: string;
  /** The same in words ("min" instead of "−"), for text alternatives and running text. */
  differenceWords: string;
}

const NL: ArmWords = {
  short: { BUNDLE: 'Bundel', FFS: 'Per verrichting' },
  long: { BUNDLE: 'Bundelbekostiging', FFS: 'Betaling per verrichting (FFS)' },
  inText: { BUNDLE: 'bundel', FFS: 'per verrichting' },
  difference: 'bundel − per verrichting',
  differenceWords: 'bundel min per verrichting',
};

const EN: ArmWords = {
  short: { BUNDLE: 'Bundle', FFS: 'Fee-for-service' },
  long: { BUNDLE: 'Bundled payment', FFS: 'Fee-for-service (FFS)' },
  inText: { BUNDLE: 'bundle', FFS: 'fee-for-service' },
  difference: 'bundle − fee-for-service',
  differenceWords: 'bundle minus fee-for-service',
};

export const ARM_WORDS: Record<'nl' | 'en', ArmWords> = { nl: NL, en: EN };
