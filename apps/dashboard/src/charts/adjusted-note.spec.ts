import { adjustedNoteText } from './adjusted-note';

const t = (key: string, options?: Record<string, unknown>) => `${key}${options ? JSON.stringify(options) : ''}`;

describe('adjusted-value notes', () => {
  it('should name the missing GOLD stages when a stratum has no patient', () => {
    expect(adjustedNoteText('GOLD stage 2, 4 has no included patient in this arm', t)).toBe('notes.stageMissing{"stages":"2, 4"}');
  });

  it('should say that count and median indicators are not adjusted by definition', () => {
    expect(adjustedNoteText('not adjusted (definition)', t)).toBe('notes.notAdjusted');
    expect(adjustedNoteText(null, t)).toBe('–');
  });
});
