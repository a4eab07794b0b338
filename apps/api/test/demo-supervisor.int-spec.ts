import { spawn } from 'node:child_process';
import { backoffDelay, DEMO_BACKOFF, describeExit, ExitReport, supervise } from '@copd/dev-stack';

/**
 * L8: `npm run demo` keeps the API, the worker and the dashboard running: a process that dies is started
 * again after 1 s, 2 s, 4 s ... at most 30 s, the wait starting over after a minute of good running, and
 * the console says why it died. Real child processes, with the policy scaled down to milliseconds.
 */
describe('the demo supervisor', () => {
  it.each([
    // initial x 2^(failures - 1), capped at 30 s: 1000 x 2^0 .. 1000 x 2^4 = 16000, then 1000 x 2^5 = 32000 > 30000
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 16_000],
    [6, 30_000],
    [12, 30_000],
  ])('should wait %i failure(s) in a row -> %i ms when the demo policy applies', (failures, expected) => {
    expect(backoffDelay(failures, DEMO_BACKOFF)).toBe(expected);
  });

  it('should restart a crashing process with doubling, capped delays and report its exit code and last stderr lines when it keeps failing', async () => {
    const reports: ExitReport[] = [];
    let starts = 0;
    const supervised = supervise({
      name: 'worker',
      policy: { initialDelayMs: 20, maxDelayMs: 80, resetAfterMs: 60_000 },
      start: () => {
        starts++;
        return spawn(process.execPath, ['-e', `console.error('boot ${starts}'); console.error('Error: connection refused'); process.exit(3)`], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
      },
      onExit: (report) => reports.push(report),
    });
    await until(() => reports.length >= 5);
    await supervised.stop();
    const seen = reports.slice(0, 5);
    // 20, 40, 80, then capped at 80.
    expect(seen.map((r) => r.restartInMs)).toEqual([20, 40, 80, 80, 80]);
    expect(seen.map((r) => r.failures)).toEqual([1, 2, 3, 4, 5]);
    expect(seen[0]).toMatchObject({ name: 'worker', code: 3, signal: null, lastLines: ['boot 1', 'Error: connection refused'] });
    expect(describeExit(seen[1]).split('\n')).toEqual([
      expect.stringMatching(/^worker stopped \(exit code 3\) after \d+\.\d s; restarting in 0\.04 s \(failure 2 in a row\)$/),
      '    worker | boot 2',
      '    worker | Error: connection refused',
    ]);
  });

  it('should report the signal and start the backoff over when the process had run long enough', async () => {
    const reports: ExitReport[] = [];
    let clock = 0;
    const supervised = supervise({
      name: 'api',
      policy: { initialDelayMs: 10, maxDelayMs: 1_000, resetAfterMs: 1_000 },
      now: () => clock,
      start: () => spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: ['ignore', 'ignore', 'pipe'] }),
      onExit: (report) => reports.push(report),
    });
    const killAfter = async (ranMs: number, count: number) => {
      await until(() => supervised.child.pid !== undefined && reports.length === count - 1 && supervised.restarts === count - 1);
      clock += ranMs;
      supervised.child.kill('SIGKILL');
      await until(() => reports.length === count);
    };
    await killAfter(5, 1); // quick failure: 10 ms
    await killAfter(5, 2); // again: 20 ms
    await killAfter(2_000, 3); // after a good run (2 s >= 1 s): back to 10 ms
    await supervised.stop();
    expect(reports.map((r) => [r.signal, r.failures, r.restartInMs])).toEqual([
      ['SIGKILL', 1, 10],
      ['SIGKILL', 2, 20],
      ['SIGKILL', 1, 10],
    ]);
    expect(describeExit(reports[2])).toBe('api stopped (signal SIGKILL) after 2.0 s; restarting in 0.01 s');
  });

  it('should not restart a process when the supervisor stops it', async () => {
    const reports: ExitReport[] = [];
    let starts = 0;
    const supervised = supervise({
      name: 'dashboard',
      policy: { initialDelayMs: 10, maxDelayMs: 10, resetAfterMs: 1_000 },
      start: () => {
        starts++;
        return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: ['ignore', 'ignore', 'pipe'] });
      },
      onExit: (report) => reports.push(report),
    });
    await until(() => supervised.child.pid !== undefined);
    await supervised.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect({ starts, reports: reports.length, signal: supervised.child.signalCode }).toEqual({ starts: 1, reports: 0, signal: 'SIGTERM' });
  });
});

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
