import { Global, Module } from '@nestjs/common';
import { REDIS, redisProviders } from './redis.provider';

@Global()
@Module({ providers: [...redisProviders], exports: [REDIS] })
export class QueueModule {}
