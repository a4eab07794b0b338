import { ChildProcess, ChildProcessWithoutNullStreams, spawn, SpawnOptions, SpawnOptionsWithoutStdio } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './postgres';

/**
 * Starts a TypeScript entry (a file, or `-e <script>`) in a fresh node process compiled on the fly by
 * @swc-node/register against tsconfig.base.json, from the repository root. The one place that knows how
 * the demo, the benchmarks and the specs that need a real process start one; tools/bootstrap.cjs keeps
 * its own copy, as it runs before dependencies are installed and cannot load TypeScript.
 */
export function spawnTypeScript(args: readonly string[], options?: SpawnOptionsWithoutStdio): ChildProcessWithoutNullStreams;
export function spawnTypeScript(args: readonly string[], options: SpawnOptions): ChildProcess;
export function spawnTypeScript(args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', ...args], {
    cwd: repoRoot,
    ...options,
    env: { ...(options.env ?? process.env), SWC_NODE_PROJECT: path.join(repoRoot, 'tsconfig.base.json') },
  });
}
