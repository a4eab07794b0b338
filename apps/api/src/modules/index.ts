import { ExperimentsModule } from './experiments/experiments.module';

/** Every feature module; the API, the worker and the CLI load the same set. */
export const FEATURE_MODULES = [ExperimentsModule];
