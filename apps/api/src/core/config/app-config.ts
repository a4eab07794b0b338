import { applyDecorators } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  type ValidationArguments,
} from 'class-validator';

/** A whole number of at least 1 (milliseconds, attempts); the message names the value that was given. */
function PositiveInteger(): PropertyDecorator {
  const message = (args: ValidationArguments) => `must be a whole number of at least 1 (is "${String(args.value)}")`;
  return applyDecorators(Transform(({ value }) => Number(value)), IsInt({ message }), Min(1, { message }));
}

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

  /** The code version a snapshot records (e.g. a release tag or commit); empty: the git commit of the working
   *  directory when there is one (with -dirty for uncommitted changes), else 'unknown'. */
  @IsString()
  CODE_VERSION: string = '';

  /** The Chromium binary that prints the monitoring report to PDF (playwright-core drives it; none is downloaded). */
  @IsString()
  CHROMIUM_PATH: string = '/usr/bin/chromium';

  /** Which process writes a log line ('api' or 'worker'): worker.ts sets it before its context is created. */
  @IsString()
  APP_NAME: string = 'api';

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

  /**
   * Proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDRs, or Express's names
   * loopback, linklocal, uniquelocal). Empty: none, the source address of a request is its TCP peer. Only a
   * proxy that overwrites the header itself may be listed (the dashboard server does).
   */
  @IsString()
  @Matches(/^[\s\w.:/,-]*$/, { message: 'TRUST_PROXY: comma-separated addresses or CIDRs (e.g. 127.0.0.1 or 10.0.0.0/8)' })
  TRUST_PROXY: string = '';

  /** Comma-separated origins allowed by CORS; empty means same-origin only. */
  @IsString()
  CORS_ORIGINS: string = '';

  /** Largest upload (all files and fields together) of the CSV/FHIR import routes, POST /api/v1/imports/dry-run and /confirm. */
  @IsString()
  @Matches(/^\s*\d+(\.\d+)?\s*(b|kb|mb|gb)?\s*$/i, { message: 'IMPORT_BODY_LIMIT: a size such as 100mb' })
  IMPORT_BODY_LIMIT: string = '100mb';

  /** Largest JSON body of every route except the exchange-document import (which gets BODY_LIMIT). */
  @IsString()
  JSON_BODY_LIMIT: string = '1mb';

  /** Mark the session cookie Secure (only sent over HTTPS). On in production behind TLS. */
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  COOKIE_SECURE: boolean = false;

  /** A dashboard session ends after this many minutes without a request... */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES: number = 30;

  /** ...and at the latest this many hours after sign-in. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  SESSION_MAX_HOURS: number = 12;

  /** Failed sign-ins of one username within LOGIN_LOCKOUT_MINUTES that lock it out for that long. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_MAX_FAILURES: number = 5;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_LOCKOUT_MINUTES: number = 15;

  /** Sign-in attempts per source address per minute, whatever the username (slows down spraying). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOGIN_RATE_PER_MINUTE: number = 30;

  /** OpenID Connect sign-in: off unless all four of issuer, client id, client secret and redirect URI are set. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] }, { message: 'OIDC_ISSUER must be a URL' })
  OIDC_ISSUER?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] }, { message: 'OIDC_REDIRECT_URI must be a URL' })
  OIDC_REDIRECT_URI?: string;

  /** ID-token claim matched against our usernames (the IdP proves identity; roles and organisations stay ours). */
  @IsString()
  OIDC_USERNAME_CLAIM: string = 'preferred_username';

  /** Where the browser goes after an OIDC sign-in (the dashboard). */
  @IsString()
  OIDC_POST_LOGIN_REDIRECT: string = '/';

  /**
   * Attempts of a recompute job, retried with exponential backoff from RECOMPUTE_BACKOFF_MS (defaults: 8 attempts
   * from 1 s, so 1 + 2 + ... + 64 = 127 s of retrying); see core/queue/retry-policy.ts.
   */
  @PositiveInteger()
  RECOMPUTE_ATTEMPTS: number = 8;

  @PositiveInteger()
  RECOMPUTE_BACKOFF_MS: number = 1000;

  /** A recompute job failed for good is offered again (attempts reset) after this long, while its outbox rows are pending. */
  @PositiveInteger()
  RECOMPUTE_RETRY_FAILED_AFTER_MS: number = 60_000;

  /** Lock duration of an active job (worker): a killed worker's job is picked up again after it expires. */
  @PositiveInteger()
  JOB_LOCK_DURATION_MS: number = 30_000;

  /** How often the worker's outbox relay looks for pending outbox rows; small enough for sub-second catch-up. */
  @PositiveInteger()
  OUTBOX_RELAY_INTERVAL_MS: number = 200;

  /**
   * Under a stream of writes, the next recompute of an experiment starts no sooner than this long after the last one
   * committed, and takes every change that arrived meanwhile (worker). Only changes that arrived while the last
   * recompute ran wait: a write after a quiet spell is recomputed at once. 0: back to back.
   */
  @Transform(({ value }) => Number(value))
  @IsInt({ message: 'RECOMPUTE_COALESCE_MS must be a whole number of milliseconds (0 or more)' })
  @Min(0)
  RECOMPUTE_COALESCE_MS: number = 1000;

  /**
   * A filtered comparison is made again (combined from the comparison cells, or aggregated from the facts for an
   * insurer, a profile or an intake window) at most this often per filter, across the API processes (a claim in
   * Redis), while the facts change; in between a reader gets the last one, marked stale with its time. A worker makes
   * it (the comparison-refreshes queue) and drops a refresh that has waited longer than this. 0: after every
   * recompute, nothing dropped. (10 s until 2026-12-03: under writes all the time, the refreshes then took a third of
   * a core.)
   */
  @Transform(({ value }) => Number(value))
  @IsInt({ message: 'COMPARISON_REFRESH_INTERVAL_MS must be a whole number of milliseconds (0 or more)' })
  @Min(0)
  COMPARISON_REFRESH_INTERVAL_MS: number = 30_000;

  /**
   * Bearer token of the Prometheus metrics (GET /metrics on the API, the worker's METRICS_PORT). Unset: the API's
   * /metrics answers 404 as an unknown address, so nothing about the running system is public unless configured.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters (use a random secret, e.g. openssl rand -hex 32)' })
  METRICS_TOKEN?: string;

  /** Port of the worker's metrics server (the worker has no other HTTP); unset: none. 0: any free port, logged. */
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt({ message: 'METRICS_PORT must be a port number (0-65535)' })
  @Min(0)
  @Max(65535)
  METRICS_PORT?: number;

  /** Address the worker's metrics server binds to. */
  @IsString()
  METRICS_HOST: string = '127.0.0.1';

  /**
   * Recompute jobs one worker process runs at once (of different experiments: one experiment is recomputed by one
   * job at a time, in any process). 2: a long full recompute of one experiment does not hold back another's
   * per-write recomputes, while a full recompute is CPU-bound in PostgreSQL (a 2-core machine gains nothing from more).
   */
  @PositiveInteger()
  WORKER_CONCURRENCY: number = 2;
}

const OIDC_REQUIRED = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URI'] as const;

/** Whether OpenID Connect sign-in is configured (all four variables set; loadConfig refuses a partial set). */
export function oidcEnabled(config: AppConfig): boolean {
  return OIDC_REQUIRED.every((name) => Boolean(config[name]));
}

/** Checks across variables that class-validator cannot express; one line per problem. */
function crossFieldErrors(config: AppConfig): string[] {
  const errors: string[] = [];
  const set = OIDC_REQUIRED.filter((name) => Boolean(config[name]));
  if (set.length > 0 && set.length < OIDC_REQUIRED.length) {
    const missing = OIDC_REQUIRED.filter((name) => !config[name]);
    errors.push(`  OIDC: ${missing.join(', ')} missing (set all of ${OIDC_REQUIRED.join(', ')}, or none to keep OIDC off)`);
  }
  // A running recompute job holds two connections of the worker's pool (its experiment's lock and its transaction),
  // taking the lock first: with no more connections than jobs, every job could hold a lock and wait for a transaction.
  if (config.APP_NAME === 'worker' && config.DB_POOL_SIZE <= config.WORKER_CONCURRENCY) {
    errors.push(
      `  DB_POOL_SIZE: must be larger than WORKER_CONCURRENCY (${config.WORKER_CONCURRENCY}); each running job takes two connections, so 2 x WORKER_CONCURRENCY + 1 is best`,
    );
  }
  if (config.METRICS_PORT !== undefined && !config.METRICS_TOKEN) {
    errors.push('  METRICS_PORT: set METRICS_TOKEN too (the worker serves its metrics only to that bearer token)');
  }
  for (const name of ['OIDC_ISSUER', 'OIDC_REDIRECT_URI'] as const) {
    const value = config[name];
    if (value && /^http:/.test(value) && !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(value)) {
      errors.push(`  ${name}: must use https (http only for localhost)`);
    }
  }
  return errors;
}

/** TRUST_PROXY as Express's `trust proxy` setting: false (trust no one) or the list of trusted proxies. */
export function trustedProxies(config: AppConfig): false | string[] {
  const list = config.TRUST_PROXY.split(',').map((entry) => entry.trim()).filter(Boolean);
  return list.length > 0 ? list : false;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  const lines = [
    ...errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`),
    ...crossFieldErrors(config),
  ];
  if (lines.length > 0) throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  return config;
}
