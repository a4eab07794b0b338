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
  fuzz: 'tools/fuzz/fuzz.ts',
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
  const run = (args) => spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' }).status;
  process.stderr.write('Installing dependencies (npm ci); this happens once...\n');
  if (run(['ci']) === 0) return;
  // npm ci refuses a lockfile without every platform's optional packages (a registry mirror may not carry
  // them all); npm install still installs the locked versions and skips what this platform does not need.
  process.stderr.write('npm ci could not use the lockfile as is; installing the locked versions with npm install...\n');
  if (run(['install']) === 0) return;
  process.stderr.write('Dependency installation failed; see the npm output above.\n');
  process.exit(1);
}

// Whatever goes wrong here is said in one line, never as a stack trace.
process.on('uncaughtException', (error) => {
  process.stderr.write(`${String((error && error.message) || error).split('\n')[0]}\n`);
  process.exit(1);
});

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
child.on('error', (error) => {
  process.stderr.write(`Could not start ${entry} with ${process.execPath}: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
