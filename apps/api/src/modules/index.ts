import { DemoDataModule } from './demo-data/demo-data.module';
import { ExchangeModule } from './exchange/exchange.module';
import { ExperimentsModule } from './experiments/experiments.module';
import { IndicatorsModule } from './indicators/indicators.module';

/** Every feature module; the API, the worker and the CLI load the same set. */
export const FEATURE_MODULES = [ExperimentsModule, IndicatorsModule, ExchangeModule, DemoDataModule];
