import { DynamicModule, INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Presets, SingleBar } from 'cli-progress';
import { userInfo } from 'node:os';
import { Actor, systemActor } from '../core/actor/actor';
import { CoreModule } from '../core/core.module';
import type { ProgressListener } from '../modules/exchange/exchange-document';

@Module({})
class CliModule {}

/**
 * A Nest application context for one CLI command: the platform (config from DATABASE_URL, REDIS_URL,
 * PSEUDONYM_KEY, ...) plus the feature modules the command needs. Only those, not every feature module, so a
 * command never starts queue processors and does not need Redis: indicator recomputes go through the outbox
 * table in the same transaction, and the worker picks them up. Closed when the work is done, also on failure.
 */
export async function withCliContext<T>(modules: Type[], work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const root: DynamicModule = { module: CliModule, imports: [CoreModule, ...modules] };
  const app = await NestFactory.createApplicationContext(root, { logger: ['error', 'warn'], abortOnError: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** The help text of `--initial-load` of the import commands. */
export const INITIAL_LOAD_HELP =
  'a large first load: as the schema owner (MIGRATION_DATABASE_URL), rebuild the session keys once after the sessions; locks the session table until done';

/**
 * `--initial-load` of the import commands: the command connects as the schema owner (MIGRATION_DATABASE_URL)
 * instead of copd_app, because rebuilding the session keys needs the owner's rights (ImportWriteOptions). Refused
 * without MIGRATION_DATABASE_URL: DATABASE_URL is the application role, which may not.
 */
export function connectAsSchemaOwner(): void {
  const url = process.env.MIGRATION_DATABASE_URL;
  if (!url) {
    throw new Error('--initial-load needs MIGRATION_DATABASE_URL (the schema owner copd_owner): it rebuilds the session keys, which copd_app may not.');
  }
  process.env.DATABASE_URL = url;
}

/** The operator as a named system actor in the audit log: cli:<CLI_OPERATOR or the OS user>. */
export function cliActor(): Actor {
  return systemActor(`cli:${process.env.CLI_OPERATOR || osUser()}`, 'cli');
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * Progress bars on stderr (stdout stays for results), one per phase. Without a terminal, one line per phase.
 * Call the returned stop() before printing results.
 */
export function progressBars(stream: NodeJS.WriteStream = process.stderr): { listener: ProgressListener; stop: () => void } {
  let phase: string | undefined;
  let bar: SingleBar | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const listener: ProgressListener = (event) => {
    if (event.phase !== phase) {
      stop();
      phase = event.phase;
      if (stream.isTTY) {
        bar = new SingleBar(
          { stream, format: `${event.phase.padEnd(20)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, hideCursor: true },
          Presets.shades_classic,
        );
        bar.start(event.total, event.done);
      } else {
        stream.write(`${event.phase}: ${event.total}\n`);
      }
    }
    bar?.update(event.done);
  };
  return { listener, stop };
}
