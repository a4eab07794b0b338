import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AppConfig } from './core/config/app-config';
import { fillPool } from './core/database/fill-pool';
import { exitIfShutdownHangs } from './core/shutdown-watchdog';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const app = await createApp();
  const config = app.get(AppConfig);
  await fillPool(app.get(DataSource), config.DB_POOL_SIZE);
  await app.listen(config.PORT, config.HOST);
  exitIfShutdownHangs('api');
}

main().catch((error) => {
  process.stderr.write(`API failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
