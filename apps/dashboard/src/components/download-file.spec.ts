import { fileNameOf } from './download-file';

describe('fileNameOf', () => {
  it.each([
    // The report's PDF: `attachment; filename="..."` (report.controller.ts).
    ['attachment; filename="monitoringsrapportage_COPD-DEMO_2026-09-30_f721a40a.pdf"', 'monitoringsrapportage_COPD-DEMO_2026-09-30_f721a40a.pdf'],
    // The analysis export's zip.
    ['attachment; filename="analyse_COPD-DEMO_2026-09-30.zip"', 'analyse_COPD-DEMO_2026-09-30.zip'],
    // Unquoted, as some servers write it.
    ['attachment; filename=analyse.zip', 'analyse.zip'],
  ])('should read the file name when the header is %s', (header, expected) => {
    expect(fileNameOf(header)).toBe(expected);
  });

  it('should give null when there is no header or no file name', () => {
    expect(fileNameOf(null)).toBeNull();
    expect(fileNameOf('inline')).toBeNull();
  });
});
