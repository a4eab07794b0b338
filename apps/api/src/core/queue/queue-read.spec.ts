import { readQueue } from './queue-read';

const never = <T>() => new Promise<T>(() => undefined);
const connection = (status: string) => ({ client: Promise.resolve({ status }) });

describe('readQueue', () => {
  it('should return the value when the connection is ready and the read answers', async () => {
    expect(await readQueue(connection('ready'), async () => 42)).toEqual({ reachable: true, value: 42 });
  });

  it('should not send the read when the connection is reconnecting', async () => {
    let sent = false;
    const result = await readQueue(connection('reconnecting'), async () => {
      sent = true;
      return 1;
    });
    expect(result).toEqual({ reachable: false });
    expect(sent).toBe(false);
  });

  describe('with a deadline of 100 ms (fake timers: the deadline decides, not the load of the machine)', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    /** Whether the read has settled after `ms` of (fake) time, and with what. */
    async function settledAfter<T>(pending: Promise<T>, ms: number): Promise<{ settled: boolean; value?: T }> {
      let outcome: { settled: boolean; value?: T } = { settled: false };
      void pending.then((value) => (outcome = { settled: true, value }));
      await jest.advanceTimersByTimeAsync(ms);
      return outcome;
    }

    it('should give up at the timeout and not before when the first connection never comes', async () => {
      const pending = readQueue({ client: never() }, async () => 1, 100);
      expect(await settledAfter(pending, 99)).toEqual({ settled: false });
      expect(await settledAfter(pending, 1)).toEqual({ settled: true, value: { reachable: false } });
      expect(jest.getTimerCount()).toBe(0);
    });

    it('should give up at the timeout and not before when the read hangs on a connection that still looks ready', async () => {
      const pending = readQueue(connection('ready'), () => never<number>(), 100);
      expect(await settledAfter(pending, 99)).toEqual({ settled: false });
      expect(await settledAfter(pending, 1)).toEqual({ settled: true, value: { reachable: false } });
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  it('should answer unreachable when the read fails', async () => {
    expect(await readQueue(connection('ready'), () => Promise.reject(new Error('Connection is closed.')))).toEqual({ reachable: false });
  });
});
