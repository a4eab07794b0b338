import path from 'node:path';
import { spawnTypeScript } from '@copd/dev-stack';

/** A process whose shutdown never finishes (it keeps a timer alive and ignores the signal otherwise). */
function hangingProcess(graceMs: number) {
  const script = `
    require('${path.join(__dirname, 'shutdown-watchdog.ts').replace(/\\/g, '/')}').exitIfShutdownHangs('hanging', ${graceMs});
    setInterval(() => undefined, 1000);
    process.stdout.write('ready\\n');`;
  return spawnTypeScript(['-e', script]);
}

describe('exitIfShutdownHangs', () => {
  it('should end a process whose shutdown hangs with exit code 1 once the grace period after SIGTERM is over', async () => {
    const child = hangingProcess(300);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(300);
    expect(stderr).toContain('hanging: shutdown did not finish within 300 ms after SIGTERM; exiting');
  });
});
