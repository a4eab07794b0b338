import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { INDICATORS_QUEUE } from './queue-names';
import { REDIS, redisOptionsFromUrl, redisProviders } from './redis.provider';

/**
 * BullMQ on ioredis. Jobs retry with exponential backoff; completed jobs are trimmed, failed jobs are
 * kept for inspection.
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
    BullModule.registerQueue({
      name: INDICATORS_QUEUE,
      defaultJobOptions: {
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: false,
      },
    }),
  ],
  providers: [...redisProviders],
  exports: [REDIS, BullModule],
})
export class QueueModule {}
