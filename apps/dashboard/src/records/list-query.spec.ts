import { apiListQuery, EMPTY_QUERY, readListQuery, sortBy, writeListQuery } from './list-query';

describe('the patient list state in the address', () => {
  it('should read the defaults when the address has no parameters', () => {
    expect(readListQuery(new URLSearchParams(''))).toEqual(EMPTY_QUERY);
  });

  it('should fall back to the default when a parameter has a value the list does not know', () => {
    const query = readListQuery(new URLSearchParams('sort=bsn&order=up&status=x&goldStage=1&pagina=-2&arm=BOTH'));
    expect(query).toEqual(EMPTY_QUERY);
  });

  it('should give back the same state when it is written and read again', () => {
    const state = { ...EMPTY_QUERY, practice: '01234567', q: 'P-00', status: 'ended' as const, arm: 'FFS' as const, insurer: '3311', goldStage: '3' as const, attention: true, sort: 'nextDue' as const, order: 'desc' as const, page: 3 };
    const written = writeListQuery(state);
    expect(written.toString()).toBe('practice=01234567&q=P-00&status=ended&arm=FFS&insurer=3311&goldStage=3&attention=true&sort=nextDue&order=desc&pagina=3');
    expect(readListQuery(written)).toEqual(state);
  });

  it('should ask the API for offset 100 and limit 50 when the page is the third', () => {
    // Page 3 of 50 rows: offset (3 - 1) x 50 = 100.
    expect(apiListQuery({ ...EMPTY_QUERY, page: 3, q: ' abc ' }, '01234567')).toBe('practice=01234567&q=abc&sort=ref&order=asc&offset=100&limit=50');
  });

  it('should turn the order around when the same column is clicked and start ascending when another is', () => {
    const byIntake = sortBy({ ...EMPTY_QUERY, page: 4 }, 'intakeDate');
    expect([byIntake.sort, byIntake.order, byIntake.page]).toEqual(['intakeDate', 'asc', 1]);
    const reversed = sortBy(byIntake, 'intakeDate');
    expect([reversed.sort, reversed.order]).toEqual(['intakeDate', 'desc']);
    expect(sortBy(reversed, 'ref').order).toBe('asc');
  });
});
