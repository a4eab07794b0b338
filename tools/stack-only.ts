/**
 * `npm run stack`: only the embedded PostgreSQL and Redis of the demo (same .data/ directories and
 * ports), for running the API, worker or dashboard separately with Nx. Prints the URLs to export.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../apps/api/src/core/database/migrate';
import { repoRoot, startPostgres, startRedis, StartedService } from '@copd/dev-stack';

const dataDir = path.join(repoRoot, '.data');

async function main(): Promise<void> {
  mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  const log = createWriteStream(path.join(dataDir, 'logs', 'postgres.log'), { flags: 'a' });
  const services: StartedService[] = [];
  const stop = async () => {
    for (const s of services.reverse()) await s.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const pg = await startPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: Number(process.env.DEMO_PG_PORT ?? 54329),
    durable: true,
    log: (line) => log.write(line + '\n'),
  });
  services.push(pg);
  const redis = await startRedis({
    dataDir: path.join(dataDir, 'redis'),
    port: Number(process.env.DEMO_REDIS_PORT ?? 63799),
    persistent: true,
  });
  services.push(redis);
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  if ((await client.query(`SELECT 1 FROM pg_database WHERE datname = 'copd'`)).rowCount === 0) {
    await client.query('CREATE DATABASE copd');
  }
  await client.end();
  const url = new URL(pg.url);
  url.pathname = '/copd';
  await runMigrations(url.toString());
  process.stdout.write(`export DATABASE_URL=${url}\nexport REDIS_URL=${redis.url}\n# Ctrl-C stops both.\n`);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
});
