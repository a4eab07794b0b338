import { ANALYSIS_EXPORT_CODEBOOK, codebookColumns, codebookMarkdown, codebookRows } from './codebook';

describe('analysis export codebook', () => {
  it('should name every column once per file and hold its key columns when read file by file', () => {
    for (const f of ANALYSIS_EXPORT_CODEBOOK) {
      const names = f.columns.map((c) => c.name);
      expect({ file: f.file, duplicates: names.filter((n, i) => names.indexOf(n) !== i) }).toEqual({ file: f.file, duplicates: [] });
      expect({ file: f.file, missingKeys: f.key.filter((k) => !names.includes(k)) }).toEqual({ file: f.file, missingKeys: [] });
      for (const c of f.columns) expect(`${f.file}:${c.name}:${c.definition.length > 0}`).toBe(`${f.file}:${c.name}:true`);
    }
  });

  it('should give one codebook.csv row per file and column when flattened', () => {
    // 11 + 3 + 2 + 11 + 13 + 14 + 5 + 7 + 5 + 35 columns in the ten files.
    const expected = ANALYSIS_EXPORT_CODEBOOK.reduce((n, f) => n + f.columns.length, 0);
    expect(codebookRows()).toHaveLength(expected);
    expect(expected).toBe(11 + 3 + 2 + 11 + 13 + 14 + 5 + 7 + 5 + 35);
    expect(codebookRows()[0]).toEqual({
      file: 'experiment.csv', column: 'experiment_code', type: 'string', unit: '', allowed_values: '[A-Za-z0-9._-]{1,40}', missing_allowed: '0',
      definition: 'Code of the experiment.',
    });
  });

  it('should read allowed values and thresholds from the domain constants when the definitions are written', () => {
    const column = (file: string, name: string) => ANALYSIS_EXPORT_CODEBOOK.find((f) => f.file === file)!.columns.find((c) => c.name === name)!;
    expect(column('patients.csv', 'end_reason').allowed).toBe('COMPLETED, DECEASED, MOVED, DROPPED_OUT, REFERRED_TO_REHABILITATION, OTHER');
    expect(column('measurements.csv', 'window').allowed).toBe('BASELINE, FOLLOWUP_3M, FOLLOWUP_12M, NONE');
    expect(column('patient_indicators.csv', 'above_guideline').definition).toContain('1: 0, 2: 6, 3: 42, 4: 62, 5: 70');
    expect(column('patient_indicators.csv', 'six_mwt_3m').definition).toContain('[intake + 70, intake + 112]');
    expect(codebookColumns('sessions.csv')).toEqual(['pseudonym', 'date', 'kind', 'care_quarter', 'after_analysis_date']);
    expect(codebookMarkdown()).toContain('## patient_indicators.csv');
  });
});
