import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './cli/commands';

/**
 * Operator CLI: `npm run cli -- <command>`. Honours DATABASE_URL and REDIS_URL like the apps; the
 * operator acts as a named system actor in the audit log (CLI_OPERATOR, default the OS user).
 */
async function main(): Promise<void> {
  const program = new Command('cli')
    .description('Operator commands for the COPD bundled-payment experiment tracker')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  await program.parseAsync(process.argv);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    process.stderr.write(`Error: ${describe(error)}\n`);
    process.exit(1);
  },
);

function describe(error: unknown): string {
  const e = error as { message?: string; violations?: { path: string; message: string }[] };
  const lines = (e.violations ?? []).slice(0, 50).map((v) => `  ${v.path}: ${v.message}`);
  const more = (e.violations?.length ?? 0) > 50 ? [`  ... and ${e.violations!.length - 50} more`] : [];
  return [e.message ?? String(error), ...lines, ...more].join('\n');
}
