import { Module } from '@nestjs/common';
import { ExchangeModule } from '../exchange/exchange.module';
import { DemoDataService } from './demo-data.service';

@Module({ imports: [ExchangeModule], providers: [DemoDataService], exports: [DemoDataService] })
export class DemoDataModule {}
