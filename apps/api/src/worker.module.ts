import { Module } from '@nestjs/common';
import { CoreModule } from './core/core.module';
import { loggerModule } from './core/logging';
import { QueueModule } from './core/queue/queue.module';
import { FEATURE_MODULES } from './modules';

/** The worker loads the same feature modules as the API; only their processors do work here. */
@Module({ imports: [loggerModule(), CoreModule, QueueModule, ...FEATURE_MODULES] })
export class WorkerModule {}
