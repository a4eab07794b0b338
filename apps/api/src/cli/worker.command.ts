import { Command } from 'commander';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run a queue worker in the foreground (processors and the outbox relay) until Ctrl-C')
    .action(async () => {
      // The same entry point as `nx worker api`; it keeps the process alive until a signal arrives.
      await import('../worker');
      await new Promise<never>(() => undefined);
    });
}
