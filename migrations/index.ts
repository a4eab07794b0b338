import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** Every migration in order; listed explicitly so source and compiled runs find the same set. */
export const MIGRATIONS = [InitialSchema1764000000000];
