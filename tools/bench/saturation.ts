/**
 * The saturation point of one read (issue 17, target 4): autocannon fires at the cached unfiltered comparison
 * from 200 connections at a fixed overall rate, 100, 200, 400, 800... requests/s for a few seconds each, until p99
 * reaches 200 ms, the rate is not reached, or a request fails; one step halfway back narrows the point down. Then
 * the same 200 connections without any pause: the throughput of the API as a whole.
 *
 * autocannon corrects latencies for coordinated omission when a rate is set (a request that could not be sent
 * on time counts the waiting), so a saturated step shows its queueing in p99 instead of hiding it.
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
}

export const SATURATION_DEFAULTS = { connections: 200, stepSeconds: 10, p99LimitMs: 200, maxRate: 12_800 };

interface Step {
  rate: number;
  achieved: number;
  p50: number;
  p99: number;
  failed: number;
  ok: boolean;
}

async function step(options: SaturationOptions, rate: number | undefined): Promise<Step & { durationS: number }> {
  const result = await autocannon({
    url: options.url,
    headers: options.headers,
    connections: options.connections,
    duration: options.stepSeconds,
    timeout: 30,
    ...(rate === undefined ? {} : { overallRate: rate }),
  });
  const answered = result['2xx'] + result.non2xx;
  const achieved = answered / result.duration;
  const failed = result.non2xx + result.errors;
  const ok = failed === 0 && result.latency.p99 < options.p99LimitMs && (rate === undefined || achieved >= 0.9 * rate);
  return { rate: rate ?? 0, achieved, p50: result.latency.p50, p99: result.latency.p99, failed, ok, durationS: result.duration };
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
