import { Module } from '@nestjs/common';
import { ExchangeController } from './exchange.controller';
import { ExchangeRepository } from './exchange.repository';
import { ExchangeService } from './exchange.service';

/** Import and export of the exchange document; SQL of its own, independent of the per-record modules. */
@Module({
  controllers: [ExchangeController],
  providers: [ExchangeRepository, ExchangeService],
  exports: [ExchangeService],
})
export class ExchangeModule {}
