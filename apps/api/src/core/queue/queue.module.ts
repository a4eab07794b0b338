import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { INDICATORS_QUEUE } from './queue-names';
import { REDIS, redisOptionsFromUrl, redisProviders } from './redis.provider';
import { retryPolicy } from './retry-policy';

/**
 * BullMQ on ioredis. Jobs retry with exponential backoff (retry-policy.ts); completed jobs are trimmed, failed
 * jobs are kept for inspection (the outbox relay offers a failed recompute again while its rows are pending).
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
  ],
  providers: [...redisProviders],
  exports: [REDIS, BullModule],
})
export class QueueModule {}
