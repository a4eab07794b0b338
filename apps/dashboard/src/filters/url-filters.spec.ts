import { EMPTY_FILTERS, filtersToQuery, parseFilters, withFilters } from './url-filters';

describe('filters in the URL', () => {
  it('should give the same filters back when a query string is parsed and written again', () => {
    const query = 'intakeFrom=2025-01-01&intakeTo=2025-12-31&practice=12345678&insurer=3311&region=Utrecht&goldStage=3%2C4&profile=2';
    const filters = parseFilters(query);
    expect(filters).toEqual({
      intakeFrom: '2025-01-01',
      intakeTo: '2025-12-31',
      practice: ['12345678'],
      insurer: ['3311'],
      region: ['Utrecht'],
      goldStage: [3, 4],
      profile: [2],
    });
    expect(filtersToQuery(filters)).toBe(query);
  });

  it('should drop malformed values when the URL was edited by hand', () => {
    expect(parseFilters('intakeFrom=gisteren&practice=123&goldStage=1,3,x&profile=9')).toEqual({
      ...EMPTY_FILTERS,
      goldStage: [3],
    });
  });

  it('should accept repeated parameters as the API does', () => {
    expect(parseFilters('goldStage=4&goldStage=2').goldStage).toEqual([2, 4]);
  });

  it('should append extra parameters when building an API path', () => {
    expect(withFilters('/api/v1/insights/worklist', { ...EMPTY_FILTERS, practice: ['12345678'] }, { asOf: undefined, experiment: 'X' })).toBe(
      '/api/v1/insights/worklist?practice=12345678&experiment=X',
    );
    expect(withFilters('/api/v1/insights/wait-days', EMPTY_FILTERS)).toBe('/api/v1/insights/wait-days');
  });
});
