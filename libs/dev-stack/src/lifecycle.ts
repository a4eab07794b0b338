/**
 * How the long-running tools (`npm run demo`, `npm test`, `npm run stack`) end without leaving anything behind.
 * npm forwards SIGINT and SIGTERM to its script but not SIGHUP, and a `kill -9` of npm or of
 * tools/bootstrap.cjs cannot be forwarded at all. So a tool stops on any of the three signals, and also when the
 * process that started it goes away without a word (the IPC channel bootstrap.cjs opens closes, or our parent
 * changes); and the servers it starts are tied to it by the kernel (withParentDeathSignal), so even a tool
 * killed with SIGKILL takes PostgreSQL, Redis and the apps with it.
 */
import { accessSync, constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];
/** A stop signal, or `parent-gone`: the process that started us ended without signalling us. */
export type StopReason = StopSignal | 'parent-gone';

/** The exit code a shell reports for a process ended by the signal: 128 + its number (SIGINT 130, SIGTERM 143, SIGHUP 129). */
export function stopExitCode(reason: StopReason): number {
  return reason === 'parent-gone' ? 129 : 128 + osConstants.signals[reason];
}

export interface StopRequestOptions {
  /** How often the parent process id is compared with the one we started under. */
  pollMs?: number;
}

/**
 * Calls `stop` once: on the first SIGINT, SIGTERM or SIGHUP, or when our parent is gone. Later signals are
 * ignored (a second Ctrl-C, or npm and bootstrap.cjs forwarding the one the terminal already sent us, must not
 * end the process half-way through stopping its children).
 */
export function onStopRequest(stop: (reason: StopReason) => void, options: StopRequestOptions = {}): void {
  let requested = false;
  const request = (reason: StopReason) => {
    if (requested) return;
    requested = true;
    stop(reason);
  };
  // After a SIGHUP the terminal may be gone: a failed write to it must not end the shutdown that follows.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  for (const signal of STOP_SIGNALS) process.on(signal, () => request(signal));
  // Started by bootstrap.cjs with an IPC channel: it closes the moment bootstrap ends, however it ends.
  if (process.send) process.once('disconnect', () => request('parent-gone'));
  // Started some other way: an orphan is adopted by init (or a subreaper), which changes our parent id.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) request('parent-gone');
  }, options.pollMs ?? 500).unref();
}

let setprivPath: string | null | undefined;

/** util-linux's setpriv on PATH (Linux), or null. */
function setpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform !== 'linux') return setprivPath;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    try {
      accessSync(path.join(dir, 'setpriv'), constants.X_OK);
      setprivPath = path.join(dir, 'setpriv');
      break;
    } catch {
      // not in this directory
    }
  }
  return setprivPath;
}

/**
 * The command line that runs `command` so that the kernel sends it `signal` when the process spawning it ends,
 * however it ends (PR_SET_PDEATHSIG through `setpriv --pdeathsig`, which then execs the command in its own
 * place: same process id, nothing in between). Where setpriv is missing the command runs as is, and only our
 * own stop path ends it.
 */
export function withParentDeathSignal(signal: 'SIGINT' | 'SIGTERM', command: string, args: readonly string[]): [string, string[]] {
  const wrapper = setpriv();
  return wrapper ? [wrapper, ['--pdeathsig', signal.replace(/^SIG/, ''), '--', command, ...args]] : [command, [...args]];
}
