import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { COMPARISON_REFRESH_QUEUE, INDICATORS_QUEUE } from './queue-names';
import { REDIS, redisOptionsFromUrl, redisProviders } from './redis.provider';
import { retryPolicy } from './retry-policy';

/**
 * BullMQ on ioredis. Recompute jobs retry with exponential backoff (retry-policy.ts); completed jobs are trimmed,
 * failed jobs are kept for inspection (the outbox relay offers a failed recompute again while its rows are pending).
 * The comparison refreshes have their own queue.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisOptionsFromUrl(config.REDIS_URL),
        prefix: config.QUEUE_PREFIX,
      }),
    }),
    BullModule.registerQueueAsync({
      name: INDICATORS_QUEUE,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const { attempts, backoffMs } = retryPolicy(config);
        return {
          defaultJobOptions: {
            attempts,
            backoff: { type: 'exponential', delay: backoffMs },
            removeOnComplete: { count: 1000 },
            removeOnFail: false,
          },
        };
      },
    }),
    // A refresh is not retried: a failure is logged, and the next reader of the stale document queues it again. Done
    // jobs are removed at once (a job id of interval 0 must be free for the next reader); failed ones kept, the last 100.
    BullModule.registerQueue({
      name: COMPARISON_REFRESH_QUEUE,
      defaultJobOptions: { attempts: 1, removeOnComplete: true, removeOnFail: { count: 100 } },
    }),
  ],
  providers: [...redisProviders],
  exports: [REDIS, BullModule],
})
export class QueueModule {}
