import { Global, Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { Clock } from './clock';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { OutboxRepository } from './outbox/outbox.repository';
import { OutboxService } from './outbox/outbox.service';
import { Pseudonymizer } from './pseudonymizer';

/** Platform services every feature module may use: config, database, audit, clock, pseudonyms, outbox. */
@Global()
@Module({
  imports: [ConfigModule, DatabaseModule, AuditModule],
  providers: [Clock, Pseudonymizer, OutboxRepository, OutboxService],
  exports: [Clock, Pseudonymizer, OutboxService],
})
export class CoreModule {}
