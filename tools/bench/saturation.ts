/**
 * The saturation point of one read (issue 17, target 4): after the API has settled (settleMs), autocannon fires at
 * the cached unfiltered comparison from 200 connections at a fixed overall rate, 100, 200, 400, 800... requests/s
 * for a few seconds each, until p99 reaches 200 ms, the rate is not reached, or a request fails; one step halfway
 * back narrows the point down. Then the same 200 connections without any pause: the throughput of the API as a whole.
 *
 * A step holds only when it also reached 90% of its rate: a server that cannot keep up makes the connections
 * wait for their answers and send less, which the latencies of the requests sent would not show (coordinated
 * omission), but the rate does.
 */
import autocannon from 'autocannon';

export type Figure = (name: string, value: number, unit: string, extra?: Record<string, unknown>) => void;

export interface SaturationOptions {
  /** Full URL of the read, e.g. http://127.0.0.1:3000/api/v1/indicators/comparison */
  url: string;
  headers: Record<string, string>;
  connections: number;
  stepSeconds: number;
  /** p99 bound of an acceptable step (ms). */
  p99LimitMs: number;
  /** Highest rate tried (requests/s). */
  maxRate: number;
  /**
   * Milliseconds to wait before the first step: after a load run, the workers' lane of filtered-comparison refreshes
   * still works through what its readers asked for during the last COMPARISON_REFRESH_INTERVAL_MS (30 s by default;
   * older requests are dropped), and those aggregations would share the machine with the first steps.
   */
  settleMs: number;
}

export const SATURATION_DEFAULTS = { connections: 200, stepSeconds: 10, p99LimitMs: 200, maxRate: 12_800, settleMs: 35_000 };

interface Step {
  rate: number;
  achieved: number;
  p50: number;
  p99: number;
  failed: number;
  ok: boolean;
}

/** Phases of a rate step: instances started this far apart, each with its share of connections and rate. */
const PHASES = 10;

const quantile = (sorted: number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);

/**
 * A step without a rate is one autocannon with every connection, each sending its next request as soon as the
 * last is answered. A step with a rate: autocannon spends a connection's rate at the start of each second, so one
 * instance would send the whole second's requests at once (a burst of `rate` requests every second, whose queue
 * alone can exceed 200 ms). Ten instances started 100 ms apart, each with a tenth of the connections and of the
 * rate, send a tenth every 100 ms instead, closer to people who do not click in step; their answers' times are
 * gathered into one distribution (exact quantiles).
 */
async function step(options: SaturationOptions, rate: number | undefined): Promise<Step> {
  const base = { url: options.url, headers: options.headers, duration: options.stepSeconds, timeout: 30 };
  if (rate === undefined) {
    const result = await autocannon({ ...base, connections: options.connections });
    const answered = result['2xx'] + result.non2xx;
    const failed = result.non2xx + result.errors;
    return { rate: 0, achieved: answered / result.duration, p50: result.latency.p50, p99: result.latency.p99, failed, ok: failed === 0 };
  }
  const times: number[] = [];
  const phases = Math.min(PHASES, rate);
  const results = await Promise.all(
    Array.from({ length: phases }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i * 1000) / phases));
      const instance = autocannon({
        ...base,
        connections: Math.max(1, Math.round(options.connections / phases)),
        // The rate split as evenly as whole numbers allow (autocannon counts whole requests per second).
        overallRate: Math.floor(rate / phases) + (i < rate % phases ? 1 : 0),
      });
      instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
      return instance;
    }),
  );
  times.sort((a, b) => a - b);
  const answered = results.reduce((n, r) => n + r['2xx'] + r.non2xx, 0);
  const failed = results.reduce((n, r) => n + r.non2xx + r.errors, 0);
  const achieved = answered / options.stepSeconds;
  const p99 = quantile(times, 0.99);
  const ok = failed === 0 && p99 < options.p99LimitMs && achieved >= 0.9 * rate;
  return { rate, achieved, p50: quantile(times, 0.5), p99, failed, ok };
}

/** Returns the highest rate (requests/s) whose step kept p99 under the limit without a failure (0: none did). */
export async function runSaturation(options: SaturationOptions, figure: Figure): Promise<number> {
  const report = (s: Step) => {
    const extra = { rate: s.rate };
    figure('saturation_step_rps', s.achieved, 'req/s', extra);
    figure('saturation_step_p50_ms', s.p50, 'ms', extra);
    figure('saturation_step_p99_ms', s.p99, 'ms', extra);
    figure('saturation_step_failed', s.failed, 'requests', extra);
  };
  await new Promise((r) => setTimeout(r, options.settleMs));
  figure('saturation_settle_seconds', options.settleMs / 1000, 's');
  let best = 0;
  let firstBad: number | undefined;
  for (let rate = 100; rate <= options.maxRate; rate *= 2) {
    const s = await step(options, rate);
    report(s);
    if (!s.ok) {
      firstBad = rate;
      break;
    }
    best = rate;
  }
  // One step halfway between the last good rate and the first bad one, rounded to 50 requests/s.
  if (firstBad !== undefined && best > 0) {
    const middle = Math.round((best + firstBad) / 2 / 50) * 50;
    if (middle > best && middle < firstBad) {
      const s = await step(options, middle);
      report(s);
      if (s.ok) best = middle;
    }
  }
  figure('saturation_rps', best, 'req/s', { p99LimitMs: options.p99LimitMs, connections: options.connections });

  const flat = await step(options, undefined);
  figure('no_pause_rps', flat.achieved, 'req/s', { connections: options.connections });
  figure('no_pause_p50_ms', flat.p50, 'ms', { connections: options.connections });
  figure('no_pause_p99_ms', flat.p99, 'ms', { connections: options.connections });
  figure('no_pause_failed', flat.failed, 'requests', { connections: options.connections });
  return best;
}
