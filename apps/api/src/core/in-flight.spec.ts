import { InFlight } from './in-flight';

describe('InFlight', () => {
  it('should give callers of a key whose work is under way that work, and start it afresh once it has settled', async () => {
    const shared = new InFlight<number>();
    let started = 0;
    let finish: (value: number) => void = () => undefined;
    const work = () => {
      started++;
      return new Promise<number>((resolve) => (finish = resolve));
    };
    const first = shared.get('a', work);
    const second = shared.get('a', work);
    // Another key is other work.
    const other = shared.get('b', () => Promise.resolve(7));
    expect(started).toBe(1);
    finish(42);
    expect(await Promise.all([first, second, other])).toEqual([42, 42, 7]);
    const third = shared.get('a', work);
    expect(started).toBe(2);
    finish(43);
    expect(await third).toBe(43);
  });

  it('should give every waiting caller the failure, and let the next caller try again', async () => {
    const shared = new InFlight<string>();
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new Error('database down'));
    };
    const results = await Promise.allSettled([shared.get('k', failing), shared.get('k', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(await shared.get('k', () => Promise.resolve('up'))).toBe('up');
  });
});
