import { Module } from '@nestjs/common';
import { CoreModule } from './core/core.module';
import { HealthModule } from './core/health/health.module';
import { loggerModule } from './core/logging';
import { MetricsModule } from './core/metrics/metrics.module';
import { QueueModule } from './core/queue/queue.module';
import { FEATURE_MODULES } from './modules';

@Module({
  imports: [loggerModule(), CoreModule, QueueModule, HealthModule, MetricsModule, ...FEATURE_MODULES],
})
export class AppModule {}
