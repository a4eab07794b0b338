import { Global, Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { Clock } from './clock';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { Pseudonymizer } from './pseudonymizer';

/** Platform services every feature module may use: config, database, audit, clock, pseudonyms. */
@Global()
@Module({
  imports: [ConfigModule, DatabaseModule, AuditModule],
  providers: [Clock, Pseudonymizer],
  exports: [Clock, Pseudonymizer],
})
export class CoreModule {}
