#!/usr/bin/env node
/*
 * Entry point of every `npm run <x>` that needs the workspace: installs dependencies when they are
 * missing or older than package-lock.json, then runs the TypeScript entry (through @swc-node/register,
 * which honours decorator metadata and tsconfig paths) with the remaining arguments.
 * Plain CommonJS on purpose: it must run before anything is installed.
 *
 * Stopping: SIGINT, SIGTERM and SIGHUP are passed on to the entry, and when our own parent (npm) goes away
 * without a signal (a `kill -9`, or npm ending on SIGHUP, which it does not forward) the entry gets SIGTERM.
 * The entry also sees the IPC channel we open close the moment we end, however we end (lifecycle.ts in
 * libs/dev-stack), so it never outlives us.
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

/*
 * V8's young generation: semi-spaces of up to 64 MiB instead of Node's 16, for the entry and every process it starts
 * (they inherit NODE_OPTIONS), as the api image sets it (Dockerfile). An import plans and writes 100,000 records in one
 * go, and with 16 MiB most of them outlive a scavenge and are copied into the old generation: the interchange
 * bench's CSV confirm took 2.37-2.40 s with 16 MiB, 2.20-2.28 s with 64 (32 gained nothing), the FHIR confirm
 * 3.11-3.24 s against 2.83-3.03. The space only grows that far while allocation needs it. A semi-space size already
 * in NODE_OPTIONS wins.
 */
const SEMI_SPACE_FLAG = '--max-semi-space-size=64';

function nodeOptions() {
  const given = process.env.NODE_OPTIONS ?? '';
  return given.includes('--max-semi-space-size') ? given : `${SEMI_SPACE_FLAG} ${given}`.trim();
}

function dependenciesCurrent() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (!fs.existsSync(marker)) return false;
  if (!fs.existsSync(path.join(root, 'node_modules', '@swc-node', 'register'))) return false;
  return !fs.existsSync(lock) || fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs;
}

/**
 * One line on the console while npm works; everything npm says goes to the log. Only when the install fails
 * are the log's last lines shown, with the command that failed.
 */
function installDependencies() {
  const logDir = path.join(root, '.data', 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, 'install.log');
  const shown = path.relative(process.cwd(), logFile) || logFile;
  fs.writeFileSync(logFile, `# ${new Date().toISOString()} installing the dependencies of ${root}\n`);
  const run = (args) => {
    const command = ['npm', ...args, '--no-audit', '--no-fund'];
    fs.appendFileSync(logFile, `$ ${command.join(' ')}\n`);
    const fd = fs.openSync(logFile, 'a');
    try {
      const result = spawnSync(command[0], command.slice(1), { cwd: root, stdio: ['ignore', fd, fd] });
      if (result.error) fs.appendFileSync(logFile, `${result.error.message}\n`);
      return result.status;
    } finally {
      fs.closeSync(fd);
    }
  };
  process.stderr.write(`Installing dependencies once (log: ${shown})...\n`);
  if (run(['ci']) === 0) return;
  // npm ci refuses a lockfile without every platform's optional packages (a registry mirror may not carry
  // them all), and npm 11 refuses this lockfile outright ("Missing: ... from lock file"; npm 10 accepts it).
  // npm install still installs the locked versions and skips what this platform does not need: no need to
  // tell anyone about the first attempt, the log has it.
  if (run(['install']) === 0) return;
  const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-INSTALL_TAIL_LINES);
  process.stderr.write(`${tail.map((line) => `  ${line}`).join('\n')}\nInstalling the dependencies failed (npm ci, then npm install); the last lines of ${shown} are above.\n`);
  process.exit(1);
}

const INSTALL_TAIL_LINES = 20;

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
  // The IPC channel is how the entry knows we are gone: it closes when we end, even on SIGKILL.
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, NODE_OPTIONS: nodeOptions(), SWC_NODE_PROJECT: path.join(root, 'tsconfig.base.json') },
});
// A Ctrl-C in a terminal reaches the entry through the shared process group as well; the entry stops on the
// first signal and ignores the repeats. A signal sent to npm alone reaches it only through us.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
// After a SIGHUP the terminal may be gone: a failed write must not end us before the entry has stopped.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
// npm killed outright, or ended by a signal it does not forward: we are adopted by init (or a subreaper).
const parent = process.ppid;
const orphanCheck = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(orphanCheck);
  child.kill('SIGTERM');
}, 500);
orphanCheck.unref();
child.on('error', (error) => {
  process.stderr.write(`Could not start ${entry} with ${process.execPath}: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
