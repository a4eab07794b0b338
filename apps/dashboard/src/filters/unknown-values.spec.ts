import { ApiProblem } from '../api/client';
import { isEmptySelection } from './empty-selection';
import { unknownFilterValues } from './unknown-values';
import { parseFilters } from './url-filters';

const options = { practices: [{ agb: '12345678' }], insurers: [{ uzovi: '3311' }], regions: ['Utrecht'] };
const unknown = (query: string, opts: typeof options | undefined = options, errors: Error[] = []) => {
  const search = new URLSearchParams(query);
  return unknownFilterValues(search, parseFilters(search), opts, errors);
};

describe('unknown filter values', () => {
  it('should name a well-formed practice code that is not in the list when the lists are loaded', () => {
    expect(unknown('practice=99999999')).toEqual([{ filter: 'practice', value: '99999999' }]);
    // Before the lists arrive only malformed values can be judged.
    const search = new URLSearchParams('practice=99999999');
    expect(unknownFilterValues(search, parseFilters(search), undefined)).toEqual([]);
  });

  it('should name malformed values the parser dropped when the URL is read', () => {
    expect(unknown('practice=abc&goldStage=7&intakeFrom=2025-13')).toEqual([
      { filter: 'practice', value: 'abc' },
      { filter: 'goldStage', value: '7' },
      { filter: 'intakeFrom', value: '2025-13' },
    ]);
  });

  it('should name each value once when the API refuses it as unknown too', () => {
    const refused = new ApiProblem(422, 'FILTER.INVALID', 'Een of meer filters verwijzen naar iets dat niet bestaat.', [
      { code: 'FILTER.UNKNOWN_PRACTICE', path: 'practice', message: 'Geen praktijk met AGB-code 99999999.' },
    ]);
    // Four sections failing alike: still one entry.
    expect(unknown('practice=99999999', options, [refused, refused, refused, refused])).toEqual([{ filter: 'practice', value: '99999999' }]);
    const search = new URLSearchParams('practice=99999999');
    expect(unknownFilterValues(search, parseFilters(search), undefined, [refused])).toEqual([{ filter: 'practice', value: '99999999' }]);
  });

  it('should find nothing when every value is known', () => {
    expect(unknown('practice=12345678&insurer=3311&region=Utrecht&goldStage=2,3')).toEqual([]);
  });
});

describe('empty selection', () => {
  const arm = (n: number) => ({ n });
  it('should be empty only when every indicator counts no patient in either arm', () => {
    const none = { indicators: [{ arms: { BUNDLE: arm(0), FFS: arm(0) } }, { arms: { BUNDLE: arm(0), FFS: arm(0) } }] };
    const one = { indicators: [{ arms: { BUNDLE: arm(0), FFS: arm(1) } }, { arms: { BUNDLE: arm(0), FFS: arm(0) } }] };
    expect(isEmptySelection(none as never)).toBe(true);
    expect(isEmptySelection(one as never)).toBe(false);
  });
});
