#!/usr/bin/env node
/*
 * Entry point of every `npm run <x>` that needs the workspace: installs dependencies when they are
 * missing or older than package-lock.json, then runs the TypeScript entry (through @swc-node/register,
 * which honours decorator metadata and tsconfig paths) with the remaining arguments.
 * Plain CommonJS on purpose: it must run before anything is installed.
 */
'use strict';
const { spawnSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entries = {
  demo: 'tools/demo.ts',
  test: 'tools/run-tests.ts',
  cli: 'apps/api/src/cli.ts',
  bench: 'tools/bench/bench.ts',
  stack: 'tools/stack-only.ts',
};

function dependenciesCurrent() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (!fs.existsSync(marker)) return false;
  if (!fs.existsSync(path.join(root, 'node_modules', '@swc-node', 'register'))) return false;
  return !fs.existsSync(lock) || fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs;
}

function installDependencies() {
  const useCi = fs.existsSync(path.join(root, 'package-lock.json'));
  const args = useCi ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  process.stderr.write(`Installing dependencies (npm ${args[0]}); this happens once...\n`);
  const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('Dependency installation failed; see the npm output above.\n');
    process.exit(result.status || 1);
  }
}

const [command, ...rest] = process.argv.slice(2);
const entry = entries[command];
if (!entry) {
  process.stderr.write(`Unknown command "${command}". Known: ${Object.keys(entries).join(', ')}\n`);
  process.exit(2);
}
if (!dependenciesCurrent()) installDependencies();

const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(root, entry), ...rest], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
});
// Ctrl-C reaches the child through the shared process group; we only wait for it to finish.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
