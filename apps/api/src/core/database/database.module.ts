import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { CommitMarker, trackRequestCommits } from './request-commits';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL, config.DB_POOL_SIZE, `copd-${config.APP_NAME}`),
        autoLoadEntities: true,
      }),
    }),
  ],
  providers: [CommitMarker],
})
export class DatabaseModule implements NestModule {
  /** Every HTTP request records whether it committed (request-commits.ts); an application without HTTP skips this. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(trackRequestCommits).forRoutes('*');
  }
}
