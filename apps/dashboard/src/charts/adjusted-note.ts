import { DASH } from '../format';
import type { Translate } from './chart-types';

/**
 * The domain explains a missing case-mix adjusted value in English ('GOLD stage 4 has no included patient
 * in this arm'); the dashboard says the same in the user's language.
 */
export function adjustedNoteText(note: string | null, t: Translate): string {
  if (!note) return DASH;
  if (note.startsWith('not adjusted')) return t('notes.notAdjusted');
  if (note === 'no included patients') return t('notes.noPatients');
  if (note.startsWith('withheld:')) return t('notes.withheld');
  if (note.startsWith('not shown:')) return t('notes.clinical');
  const stage = /^GOLD stage ([\d, ]+) has no included patient/.exec(note);
  if (stage) return t('notes.stageMissing', { stages: stage[1] });
  return note;
}
