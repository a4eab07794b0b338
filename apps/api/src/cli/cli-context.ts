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
