import type { Redis } from 'ioredis';

/**
 * How long a status read waits for Redis before it answers "queue unreachable". The status routes must answer
 * within a second while Redis is down (issue 10 M4); half of it leaves room for the PostgreSQL part.
 */
export const QUEUE_READ_TIMEOUT_MS = 500;

/**
 * How long a recompute request waits for the queue to take its job before it answers "not queued" (the outbox row
 * is committed either way, and the relay enqueues it).
 */
export const QUEUE_ADD_TIMEOUT_MS = 2000;

/**
 * A BullMQ queue's own Redis connection as ioredis (read it through readQueue). BullMQ's connection is an ioredis
 * client; its own type (IRedisClient) declares too few of SET's arguments.
 */
export async function queueRedis(queue: QueueConnection): Promise<Redis> {
  return (await queue.client) as unknown as Redis;
}

export type QueueRead<T> = { reachable: true; value: T } | { reachable: false };

/** What readQueue needs of a BullMQ Queue: its connection (a promise BullMQ resolves once Redis is ready). */
export interface QueueConnection {
  readonly client: Promise<{ status: string }>;
}

/**
 * A read of the queue (or an add with a deterministic job id) that gives up instead of waiting for Redis. BullMQ's
 * connection has maxRetriesPerRequest null and the offline queue on (BullMQ requires both), so a command sent while
 * Redis is down waits until Redis is back: 57 s and more before this. So no command is sent unless the connection
 * is ready (which also leaves nothing in the offline queue), and the command itself has a deadline, for a
 * connection that has not yet noticed that Redis went away. The deadline's timer is always cleared.
 */
export async function readQueue<T>(
  queue: QueueConnection,
  read: () => Promise<T>,
  timeoutMs = QUEUE_READ_TIMEOUT_MS,
): Promise<QueueRead<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    // BullMQ's client promise waits for the first connection; while Redis has never been up it never settles.
    const client = await Promise.race([queue.client, deadline]);
    if (client === 'timeout' || client.status !== 'ready') return { reachable: false };
    const answer = await Promise.race([read().then((value) => ({ value })), deadline]);
    return answer === 'timeout' ? { reachable: false } : { reachable: true, value: answer.value };
  } catch {
    return { reachable: false };
  } finally {
    clearTimeout(timer);
  }
}
