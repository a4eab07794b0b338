import { validateExperimentPeriod } from './experiment-rules';

describe('validateExperimentPeriod', () => {
  it.each([
    ['should accept when analysis date lies inside the period', '2025-01-01', '2029-12-31', '2025-09-30', []],
    ['should accept when analysis date is after the end (final evaluation)', '2025-01-01', '2025-12-31', '2026-03-31', []],
    ['should reject when end is before start', '2025-06-01', '2025-01-01', '2025-06-01', ['EXPERIMENT.END_BEFORE_START']],
    [
      'should report both reasons when end and analysis date are before start',
      '2025-06-01',
      '2025-01-01',
      '2025-05-31',
      ['EXPERIMENT.END_BEFORE_START', 'EXPERIMENT.ANALYSIS_BEFORE_START'],
    ],
  ])('%s', (_name, start, end, analysisDate, codes) => {
    expect(validateExperimentPeriod({ start, end, analysisDate }).map((v) => v.code)).toEqual(codes);
  });
});
