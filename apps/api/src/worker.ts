import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { exitIfShutdownHangs } from './core/shutdown-watchdog';
import { WorkerModule } from './worker.module';

/**
 * Queue entry point: the same modules as the API, without HTTP; BullMQ processors run here.
 */
async function main(): Promise<void> {
  process.env.APP_NAME = 'worker';
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  exitIfShutdownHangs('worker');
  app.get(Logger).log('worker started');
}

main().catch((error) => {
  process.stderr.write(`Worker failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
