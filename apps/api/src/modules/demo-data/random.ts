import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';

/**
 * A seeded random source for the demo generator (pure-rand's xoroshiro128+): the same seed always gives the
 * same sequence, on every platform, so a seed names a data set. Never Math.random.
 */
export class Random {
  private readonly rng: RandomGenerator;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(mix32(seed));
    // xoroshiro's first outputs from a small seed are poorly mixed (seed 1 starts with 0.99999...): skip them.
    for (let i = 0; i < 16; i++) this.rng.unsafeNext();
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return (this.rng.unsafeNext() >>> 0) / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return unsafeUniformIntDistribution(min, max, this.rng);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** An item drawn with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      if ((r -= w) < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** Normal deviate (Box-Muller). */
  normal(mean: number, sd: number): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Waiting time of a Poisson process with the given rate (per unit of time). */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }
}

/** Murmur3's 32-bit finaliser: spreads nearby seeds (1, 2, 3) over the whole state space. */
function mix32(seed: number): number {
  let h = seed | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
