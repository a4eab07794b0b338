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

  it('should give up after the timeout when the first connection never comes', async () => {
    const started = Date.now();
    expect(await readQueue({ client: never() }, async () => 1, 100)).toEqual({ reachable: false });
    // 100 ms timeout; allow scheduling slack on a busy 2-core machine
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(600);
  });

  it('should give up after the timeout when the read hangs on a connection that still looks ready', async () => {
    const started = Date.now();
    expect(await readQueue(connection('ready'), () => never<number>(), 100)).toEqual({ reachable: false });
    expect(Date.now() - started).toBeLessThan(600);
  });

  it('should answer unreachable when the read fails', async () => {
    expect(await readQueue(connection('ready'), () => Promise.reject(new Error('Connection is closed.')))).toEqual({ reachable: false });
  });
});
