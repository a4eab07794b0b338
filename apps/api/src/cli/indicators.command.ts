import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { invalidRequest } from '../core/errors/app-error';
import { toViolations } from '../core/http/validation';
import { QueueModule } from '../core/queue/queue.module';
import { ComparisonQueryDto } from '../modules/indicators/dto/comparison-query.dto';
import { IndicatorsModule } from '../modules/indicators/indicators.module';
import { IndicatorsService } from '../modules/indicators/indicators.service';
import { cliActor, withCliContext } from './cli-context';

interface RecomputeOptions {
  experiment?: string;
  wait?: boolean;
  timeout: string;
}

interface ComparisonOptions {
  experiment?: string;
  practice?: string;
  insurer?: string;
  region?: string;
  goldStage?: string;
  profile?: string;
  intakeFrom?: string;
  intakeTo?: string;
  json?: boolean;
}

export function registerIndicators(program: Command): void {
  program
    .command('recompute')
    .description('Request a full indicator recompute; with --wait, wait until the worker has done it')
    .option('--experiment <code>', 'Experiment code (may be omitted when there is only one)')
    .option('--wait', 'Wait for the job to finish, showing progress')
    .option('--timeout <seconds>', 'Give up waiting after this many seconds', '600')
    .action(async (options: RecomputeOptions) => {
      await withCliContext([QueueModule, IndicatorsModule], async (app) => {
        const service = app.get(IndicatorsService);
        const actor = cliActor();
        const requested = await service.requestRecompute(actor, options.experiment);
        if (!requested.queued) {
          process.stdout.write('Recompute requested, not queued: the queue is unreachable now; the worker relay will enqueue it\n');
          if (options.wait) throw new Error('No job to wait for: the figures stay stale until the worker has recomputed (see `indicators`).');
          return;
        }
        process.stdout.write(`Recompute requested: job ${requested.jobId}\n`);
        if (!options.wait) return;
        await waitForJob(() => service.job(actor, requested.jobId), Number(options.timeout) * 1000);
      });
    });

  program
    .command('indicators')
    .description('Print the arm comparison (the same document as GET /api/v1/indicators/comparison)')
    .option('--experiment <code>', 'Experiment code (may be omitted when there is only one)')
    .option('--practice <agb>', 'AGB code(s), comma-separated')
    .option('--insurer <uzovi>', 'UZOVI code(s), comma-separated')
    .option('--region <names>', 'Region(s), comma-separated')
    .option('--gold-stage <stages>', 'GOLD stage(s), comma-separated')
    .option('--profile <profiles>', 'KNGF profile(s), comma-separated')
    .option('--intake-from <date>', 'Intake on or after (YYYY-MM-DD)')
    .option('--intake-to <date>', 'Intake on or before (YYYY-MM-DD)')
    .option('--json', 'Print JSON (default: a table)')
    .action(async (options: ComparisonOptions) => {
      const { json, ...filters } = options;
      const query = plainToInstance(ComparisonQueryDto, stripUndefined(filters));
      const errors = validateSync(query, { whitelist: true, forbidNonWhitelisted: true });
      if (errors.length > 0) throw invalidRequest(toViolations(errors), 'Ongeldige filters.');
      const document = await withCliContext([QueueModule, IndicatorsModule], (app) =>
        app.get(IndicatorsService).comparison(cliActor(), query),
      );
      process.stdout.write(json ? JSON.stringify(document, null, 2) + '\n' : formatTable(document));
    });
}

async function waitForJob(
  read: () => Promise<{ state: string; progress: unknown; failedReason: string | null }>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const bar = process.stderr.isTTY
    ? new SingleBar({ stream: process.stderr, format: 'recompute [{bar}] {percentage}% | {state}', hideCursor: true }, Presets.shades_classic)
    : undefined;
  bar?.start(100, 0, { state: 'waiting' });
  let lastState = '';
  try {
    for (;;) {
      const job = await read().catch(() => ({ state: 'unknown', progress: 0, failedReason: null }));
      const progress = typeof job.progress === 'number' ? job.progress : 0;
      bar?.update(progress, { state: job.state });
      if (!bar && job.state !== lastState) process.stderr.write(`recompute: ${job.state} ${progress}%\n`);
      lastState = job.state;
      if (job.state === 'completed') return;
      if (job.state === 'failed') throw new Error(`The recompute job failed: ${job.failedReason ?? 'no reason given'}`);
      if (Date.now() > deadline) throw new Error('Timed out waiting for the recompute; is a worker running (`npm run cli -- worker`)?');
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    bar?.stop();
  }
}

type ComparisonDoc = {
  experiment: string;
  analysisDate: string;
  computedAt: string | null;
  stale: boolean;
  indicators?: { code: string; arms: Record<string, { n: number; value: number | null }>; difference: { value: number | null; ciLow: number | null; ciHigh: number | null } }[];
};

function formatTable(doc: ComparisonDoc): string {
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : Number(v.toPrecision(6)).toString());
  const lines = [
    `${doc.experiment}, as of ${doc.analysisDate}, computed ${doc.computedAt ?? 'never'}${doc.stale ? ' (STALE: recompute pending)' : ''}`,
    ['indicator'.padEnd(40), 'BUNDLE n', 'BUNDLE', 'FFS n', 'FFS', 'difference [95% CI]'].join('  '),
  ];
  for (const i of doc.indicators ?? []) {
    const d = i.difference;
    lines.push(
      [
        i.code.padEnd(40),
        String(i.arms.BUNDLE.n).padStart(8),
        fmt(i.arms.BUNDLE.value).padStart(6),
        String(i.arms.FFS.n).padStart(5),
        fmt(i.arms.FFS.value).padStart(5),
        `${fmt(d.value)} [${fmt(d.ciLow)}, ${fmt(d.ciHigh)}]`,
      ].join('  '),
    );
  }
  return lines.join('\n') + '\n';
}

function stripUndefined(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
