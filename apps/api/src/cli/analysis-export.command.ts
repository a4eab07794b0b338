import { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { codebookCsv, codebookMd } from '../modules/analysis-export/analysis-export-writer';
import { AnalysisExportModule } from '../modules/analysis-export/analysis-export.module';
import { AnalysisExportService } from '../modules/analysis-export/analysis-export.service';
import { cliActor, withCliContext } from './cli-context';

/** `analysis-export [file]`: the analysis-ready zip (the route's), audited as the operator; `codebook [dir]`: its codebook files. */
export function registerAnalysisExport(program: Command): void {
  program
    .command('analysis-export')
    .description('Write the analysis-ready zip (CSV files + codebook) of an experiment now or of a snapshot')
    .argument('[file]', 'Zip file to write (default: the name the route gives, in the current directory)')
    .option('--experiment <code>', 'Experiment code (may be omitted when exactly one exists or a snapshot is named)')
    .option('--snapshot <id>', 'Id of a frozen snapshot (default: now)')
    .action(async (file: string | undefined, options: { experiment?: string; snapshot?: string }) => {
      const written = await withCliContext([AnalysisExportModule], async (app) => {
        const zip = await app.get(AnalysisExportService).export(cliActor(), options);
        const path = file ?? zip.fileName;
        await pipeline(zip.stream, createWriteStream(path));
        return { path, patients: zip.patients, experiment: zip.experiment };
      });
      process.stdout.write(`Analysis export of ${written.experiment} (${written.patients} patients) written to ${written.path}.\n`);
    });
  program
    .command('codebook')
    .description('Write codebook.csv and codebook.md of the analysis export (docs/ holds the committed copy)')
    .argument('[dir]', 'Directory to write to', 'docs')
    .action(async (dir: string) => {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'codebook.csv'), codebookCsv(), 'utf8');
      await writeFile(join(dir, 'codebook.md'), codebookMd(), 'utf8');
      process.stdout.write(`Codebook written to ${join(dir, 'codebook.csv')} and ${join(dir, 'codebook.md')}.\n`);
    });
}
