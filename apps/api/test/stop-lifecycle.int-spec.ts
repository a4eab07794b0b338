import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, stopExitCode, withParentDeathSignal } from '@copd/dev-stack';

/**
 * Issue 17, target 8, the parts clean-stop.int-spec.ts relies on, each on real processes: a tool stops once on
 * the first of SIGINT / SIGTERM / SIGHUP and when its parent goes away without a word (bootstrap.cjs's IPC
 * channel closing, or being adopted by init), and a server spawned through withParentDeathSignal ends when the
 * process that spawned it is killed outright.
 */
describe('the stop lifecycle of the dev-stack tools', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'copd-lifecycle-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    // 128 + the signal's number on Linux: SIGHUP 1, SIGINT 2, SIGTERM 15.
    ['SIGHUP', 129],
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['parent-gone', 129],
  ] as const)('should exit with %s -> %i when stopped that way', (reason, code) => {
    expect(stopExitCode(reason)).toBe(code);
  });

  it('should end a process started through withParentDeathSignal when its parent is killed with SIGKILL, and not one started plainly', async () => {
    const [command, args] = withParentDeathSignal('SIGTERM', 'sleep', ['300']);
    expect([command, args.slice(0, 3)]).toEqual([expect.stringMatching(/\/setpriv$/), ['--pdeathsig', 'TERM', '--']]);
    const tied = await grandchildOfKilledParent(command, args);
    const plain = await grandchildOfKilledParent('sleep', ['300']);
    try {
      expect({ tied: await aliveAfter(tied, 3_000), plain: await aliveAfter(plain, 1_000) }).toEqual({ tied: false, plain: true });
    } finally {
      for (const pid of [tied, plain]) killQuietly(pid);
    }
  });

  it('should stop once, on the first signal, with that signal as the reason when it gets SIGHUP then SIGINT', async () => {
    const child = spawnTool(['ignore', 'pipe', 'inherit']);
    // Listened for from the start: the tool exits right after writing "stopped", so by the time the poll below has
    // read that, its 'exit' event may have been emitted already, and a listener added then would wait forever.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await until(() => readState(dir) === 'ready');
    child.kill('SIGHUP');
    await until(() => readState(dir) === 'stopping SIGHUP');
    child.kill('SIGINT');
    await until(() => readState(dir).startsWith('stopped'));
    await exited;
    expect(readState(dir)).toBe('stopped SIGHUP 1');
  });

  it('should stop with parent-gone when bootstrap.cjs (its parent, holding the IPC channel) is killed with SIGKILL', async () => {
    const pid = await toolUnderKilledParent(true);
    await until(() => readState(dir).startsWith('stopped'), 10_000);
    expect(readState(dir)).toBe('stopped parent-gone 1');
    expect(await aliveAfter(pid, 2_000)).toBe(false);
  });

  it('should stop with parent-gone when its parent dies without an IPC channel (adopted by init)', async () => {
    const pid = await toolUnderKilledParent(false);
    await until(() => readState(dir).startsWith('stopped'), 10_000);
    expect(readState(dir)).toBe('stopped parent-gone 1');
    expect(await aliveAfter(pid, 2_000)).toBe(false);
  });

  /**
   * A tool: calls onStopRequest, writes "ready", and on a stop request writes "stopping <reason>" at once and
   * "stopped <reason> <times called>" a moment later (so that a second request would be counted), then exits.
   */
  function toolScript(pollMs = 100): string {
    const lifecycle = path.join(repoRoot, 'libs/dev-stack/src/lifecycle.ts');
    const state = path.join(dir, 'state');
    return [
      `const { onStopRequest } = require(${JSON.stringify(lifecycle)});`,
      `const { writeFileSync } = require('node:fs');`,
      `let calls = 0;`,
      `onStopRequest((reason) => { calls++; writeFileSync(${JSON.stringify(state)}, 'stopping ' + reason); setTimeout(() => { writeFileSync(${JSON.stringify(state)}, 'stopped ' + reason + ' ' + calls); process.exit(0); }, 300); }, { pollMs: ${pollMs} });`,
      `writeFileSync(${JSON.stringify(state)}, 'ready');`,
      `setInterval(() => undefined, 1000);`,
    ].join('\n');
  }

  function spawnTool(stdio: ('ignore' | 'pipe' | 'inherit' | 'ipc')[]) {
    return spawn(process.execPath, ['-r', '@swc-node/register', '-e', toolScript()], {
      cwd: repoRoot,
      stdio,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.base.json') },
    });
  }

  /**
   * A plain node parent starts the tool (with or without an IPC channel, as bootstrap.cjs does) and is then killed
   * with SIGKILL; returns the tool's pid. With the channel, the parent-id check waits a minute: only the channel's
   * closing can stop the tool within the test's bound.
   */
  async function toolUnderKilledParent(ipc: boolean): Promise<number> {
    const tool = toolScript(ipc ? 60_000 : 100);
    const parentScript = [
      `const { spawn } = require('node:child_process');`,
      `const child = spawn(process.execPath, ${JSON.stringify(['-r', '@swc-node/register', '-e', tool])}, { stdio: ${JSON.stringify(ipc ? ['ignore', 'ignore', 'inherit', 'ipc'] : ['ignore', 'ignore', 'inherit'])} });`,
      `console.log(child.pid);`,
      `setInterval(() => undefined, 1000);`,
    ].join('\n');
    const parent = spawn(process.execPath, ['-e', parentScript], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.base.json') },
    });
    const pid = await firstLine(parent);
    await until(() => readState(dir) === 'ready');
    parent.kill('SIGKILL');
    return pid;
  }
});

/** A plain node parent spawns command + args and is killed with SIGKILL at once; returns the orphan's pid. */
async function grandchildOfKilledParent(command: string, args: string[]): Promise<number> {
  const script = `const c = require('node:child_process').spawn(${JSON.stringify(command)}, ${JSON.stringify(args)}, { stdio: 'ignore' }); console.log(c.pid); setInterval(() => undefined, 1000);`;
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await firstLine(parent);
  // Give setpriv the moment it needs to set the signal and exec the command.
  await until(() => readComm(pid) === 'sleep');
  parent.kill('SIGKILL');
  await new Promise((resolve) => parent.once('exit', resolve));
  return pid;
}

function firstLine(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(Number(out.split('\n')[0]));
    });
    child.once('exit', () => reject(new Error(`exited before printing a pid: ${out}`)));
  });
}

function readComm(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Whether the process still runs (not ended, and not a zombie init has yet to reap) after waiting up to ms for it to end. */
async function aliveAfter(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  const alive = () => {
    try {
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    } catch {
      return false;
    }
  };
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return alive();
}

function readState(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'state'), 'utf8');
  } catch {
    return '';
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
