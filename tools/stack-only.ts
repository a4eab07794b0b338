/**
 * `npm run stack`: only the embedded PostgreSQL and Redis of the demo (same data, ports and database roles),
 * for running the API, worker or dashboard separately with Nx. Migrates as copd_owner and prints the URLs
 * to export: DATABASE_URL as the application role copd_app, MIGRATION_DATABASE_URL as copd_owner. Stops both
 * on Ctrl-C, SIGTERM or SIGHUP, or when the npm process that started it goes away.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { provisionDatabase } from '../apps/api/src/core/database/database-roles';
import { runMigrations } from '../apps/api/src/core/database/migrate';
import {
  demoDatabasePasswords,
  oneLine,
  onStopRequest,
  postgresDataDir,
  repoRoot,
  startPostgres,
  startRedis,
  StartedService,
} from '@copd/dev-stack';

const dataDir = path.resolve(repoRoot, process.env.DEMO_DATA_DIR ?? '.data');

async function main(): Promise<void> {
  mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  const log = createWriteStream(path.join(dataDir, 'logs', 'postgres.log'), { flags: 'a' });
  const services: StartedService[] = [];
  let stopping: Promise<never> | undefined;
  const stop = (code = 0) =>
    (stopping ??= (async () => {
      for (const s of services.reverse()) await s.stop().catch(() => undefined);
      process.exit(code);
    })());
  onStopRequest(() => void stop());
  try {
    const passwords = demoDatabasePasswords(path.join(dataDir, 'secrets.json'));
    const { dataDir: clusterDir, moved } = postgresDataDir(path.join(dataDir, 'postgres'));
    if (moved) process.stderr.write(`PostgreSQL data in ${clusterDir} (the postgres system user cannot enter this clone)\n`);
    const pg = await startPostgres({
      dataDir: clusterDir,
      port: Number(process.env.DEMO_PG_PORT ?? 54329),
      durable: true,
      superuserPassword: passwords.postgres,
      log: (line) => log.write(line + '\n'),
    });
    services.push(pg);
    const redis = await startRedis({
      dataDir: path.join(dataDir, 'redis'),
      port: Number(process.env.DEMO_REDIS_PORT ?? 63799),
      persistent: true,
    });
    services.push(redis);
    const urls = await provisionDatabase(pg.url, 'copd', passwords);
    await runMigrations(urls.ownerUrl);
    process.stdout.write(
      `export DATABASE_URL=${urls.appUrl}\nexport MIGRATION_DATABASE_URL=${urls.ownerUrl}\nexport REDIS_URL=${redis.url}\n# Ctrl-C stops both.\n`,
    );
  } catch (error) {
    process.stderr.write(`${oneLine(error)}\n`);
    await stop(1);
  }
}

void main();
