import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '@copd/dev-stack';

/**
 * Issue 17, target 8: the first `npm run demo` / `npm test` says one line while it installs, not a page of npm
 * errors. tools/bootstrap.cjs runs here, copied into an empty "clone" whose PATH starts with a fake `npm`: for
 * `ci` it prints 150 `npm error` lines and fails, as npm 11 does on our lockfile; `install` succeeds and leaves a
 * node_modules with a do-nothing @swc-node/register. The entry (tools/demo.ts) is a plain script that records
 * that it ran.
 */
describe('the first install of tools/bootstrap.cjs', () => {
  let clone: string;

  beforeEach(() => {
    clone = mkdtempSync(path.join(tmpdir(), 'copd-bootstrap-'));
    mkdirSync(path.join(clone, 'tools'));
    mkdirSync(path.join(clone, 'bin'));
    copyFileSync(path.join(repoRoot, 'tools/bootstrap.cjs'), path.join(clone, 'tools/bootstrap.cjs'));
    writeFileSync(path.join(clone, 'package-lock.json'), '{}\n');
    writeFileSync(
      path.join(clone, 'tools/demo.ts'),
      "require('node:fs').writeFileSync(require('node:path').join(__dirname, 'entry-ran'), process.argv.slice(2).join(' '));\n",
    );
    const npm = path.join(clone, 'bin/npm');
    writeFileSync(
      npm,
      [
        '#!/bin/sh',
        'echo "$*" >> "$FAKE_NPM_CALLS"',
        'case "$1" in',
        '  ci)',
        '    i=1; while [ $i -le 150 ]; do echo "npm error Missing: package-$i@1.0.0 from lock file" >&2; i=$((i+1)); done',
        '    exit 1;;',
        '  install)',
        '    if [ -n "$FAKE_NPM_INSTALL_FAILS" ]; then echo "npm error code E404" >&2; echo "npm error 404 Not Found - left-pad" >&2; exit 1; fi',
        '    mkdir -p node_modules/@swc-node/register',
        '    echo \'{"name":"@swc-node/register","main":"index.js"}\' > node_modules/@swc-node/register/package.json',
        '    : > node_modules/@swc-node/register/index.js',
        "    echo '{}' > node_modules/.package-lock.json",
        '    echo "added 1234 packages in 41s"',
        '    exit 0;;',
        'esac',
        'exit 2',
        '',
      ].join('\n'),
    );
    chmodSync(npm, 0o755);
  });

  afterEach(() => rmSync(clone, { recursive: true, force: true }));

  const bootstrap = (extraEnv: Record<string, string> = {}) =>
    spawnSync(process.execPath, [path.join(clone, 'tools/bootstrap.cjs'), 'demo', '--flag'], {
      cwd: clone,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.join(clone, 'bin')}:${process.env.PATH}`, FAKE_NPM_CALLS: path.join(clone, 'npm-calls'), ...extraEnv },
    });
  const calls = () => readFileSync(path.join(clone, 'npm-calls'), 'utf8').trim().split('\n');

  it('should say exactly one line, keep npm ci and its 150 errors in the log and run the entry when npm ci fails and npm install works', () => {
    const result = bootstrap();

    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 0,
      stdout: '',
      stderr: 'Installing dependencies once (log: .data/logs/install.log)...\n',
    });
    expect(calls()).toEqual(['ci --no-audit --no-fund', 'install --no-audit --no-fund']);
    const log = readFileSync(path.join(clone, '.data/logs/install.log'), 'utf8');
    expect(log.split('\n').filter((line) => line.startsWith('npm error Missing: ')).length).toBe(150);
    expect(log).toContain('$ npm ci --no-audit --no-fund\n');
    expect(log).toContain('$ npm install --no-audit --no-fund\nadded 1234 packages in 41s\n');
    expect(readFileSync(path.join(clone, 'tools/entry-ran'), 'utf8')).toBe('--flag');

    // Installed now: the next start says nothing and asks npm for nothing.
    const again = bootstrap();
    expect({ status: again.status, stderr: again.stderr, calls: calls().length }).toEqual({ status: 0, stderr: '', calls: 2 });
  });

  it("should start the entry with V8 semi-spaces of 64 MiB in NODE_OPTIONS, keeping the caller's other options and a semi-space size of its own", () => {
    writeFileSync(
      path.join(clone, 'tools/demo.ts'),
      "require('node:fs').appendFileSync(require('node:path').join(__dirname, 'node-options'), JSON.stringify(process.env.NODE_OPTIONS) + '\\n');\n",
    );

    // The test runner's own NODE_OPTIONS (npm test sets the flag) is replaced in each case.
    const statuses = ['', '--trace-warnings', '--max-semi-space-size=8 --trace-warnings'].map((given) => bootstrap({ NODE_OPTIONS: given }).status);

    expect(statuses).toEqual([0, 0, 0]);
    expect(readFileSync(path.join(clone, 'tools/node-options'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      '--max-semi-space-size=64',
      '--max-semi-space-size=64 --trace-warnings',
      '--max-semi-space-size=8 --trace-warnings',
    ]);
  });

  it('should show the last 20 lines of the log and a line naming it, exit 1 and not run the entry when npm install fails too', () => {
    const result = bootstrap({ FAKE_NPM_INSTALL_FAILS: '1' });

    const lines = result.stderr.trimEnd().split('\n');
    expect({ status: result.status, stdout: result.stdout, lines: lines.length }).toEqual({ status: 1, stdout: '', lines: 1 + 20 + 1 });
    expect(lines[0]).toBe('Installing dependencies once (log: .data/logs/install.log)...');
    // The log's last 20 lines: 17 of npm ci's 150 errors (134..150), the install command and its two errors.
    expect(lines.slice(1, 21)).toEqual([
      ...Array.from({ length: 17 }, (_, i) => `  npm error Missing: package-${134 + i}@1.0.0 from lock file`),
      '  $ npm install --no-audit --no-fund',
      '  npm error code E404',
      '  npm error 404 Not Found - left-pad',
    ]);
    expect(lines[21]).toBe('Installing the dependencies failed (npm ci, then npm install); the last lines of .data/logs/install.log are above.');
    expect(existsSync(path.join(clone, 'tools/entry-ran'))).toBe(false);
  });
});
