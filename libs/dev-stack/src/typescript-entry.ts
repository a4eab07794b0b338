import { ChildProcess, ChildProcessWithoutNullStreams, spawn, SpawnOptions, SpawnOptionsWithoutStdio } from 'node:child_process';
import path from 'node:path';
import { withParentDeathSignal } from './lifecycle';
import { repoRoot } from './postgres';

export interface TypeScriptEntryOptions {
  /** The signal the kernel sends the process when ours ends, however it ends (see withParentDeathSignal); default none. */
  parentDeathSignal?: 'SIGINT' | 'SIGTERM';
}

/**
 * Starts a TypeScript entry (a file, or `-e <script>`) in a fresh node process compiled on the fly by
 * @swc-node/register against tsconfig.base.json, from the repository root. The one place that knows how
 * the demo, the benchmarks and the specs that need a real process start one; tools/bootstrap.cjs keeps
 * its own copy, as it runs before dependencies are installed and cannot load TypeScript.
 */
export function spawnTypeScript(args: readonly string[], options?: SpawnOptionsWithoutStdio & TypeScriptEntryOptions): ChildProcessWithoutNullStreams;
export function spawnTypeScript(args: readonly string[], options: SpawnOptions & TypeScriptEntryOptions): ChildProcess;
export function spawnTypeScript(args: readonly string[], options: SpawnOptions & TypeScriptEntryOptions = {}): ChildProcess {
  const { parentDeathSignal, ...spawnOptions } = options;
  const nodeArgs = ['-r', '@swc-node/register', ...args];
  const [command, commandArgs] = parentDeathSignal ? withParentDeathSignal(parentDeathSignal, process.execPath, nodeArgs) : [process.execPath, nodeArgs];
  return spawn(command, commandArgs, {
    cwd: repoRoot,
    ...spawnOptions,
    env: { ...(spawnOptions.env ?? process.env), SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.base.json') },
  });
}
