import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync } from 'class-validator';

/**
 * Every environment variable the API, worker and CLI read, validated once at start-up.
 * The README's configuration table lists the same names and defaults.
 */
export class AppConfig {
  @IsString()
  DATABASE_URL!: string;

  @IsString()
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '127.0.0.1';

  /** Key of the HMAC that turns a BSN into a pseudonymous token and derives patient pseudonyms. */
  @IsString()
  @MinLength(32, { message: 'PSEUDONYM_KEY must be at least 32 characters (use a random secret)' })
  PSEUDONYM_KEY!: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Pretty, human-readable logs instead of JSON lines (the demo turns this on). */
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  LOG_PRETTY: boolean = false;

  /** Prefix of every BullMQ key in Redis, so several stacks (or test files) can share one Redis. */
  @IsString()
  QUEUE_PREFIX: string = 'copd';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  DB_POOL_SIZE: number = 10;

  /** Largest accepted request body (exchange documents included), as understood by body-parser. */
  @IsString()
  BODY_LIMIT: string = '50mb';

  /** Comma-separated origins allowed by CORS; empty means same-origin only. */
  @IsString()
  CORS_ORIGINS: string = '';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
