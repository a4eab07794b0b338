import { types } from 'pg';

/**
 * Calendar dates stay 'YYYY-MM-DD' strings end to end: turning a `date` into a JS Date at local
 * midnight is how one-day drift creeps into care periods. Counts (bigint) become numbers; they never
 * come near 2^53 here.
 */
types.setTypeParser(types.builtins.DATE, (value: string) => value);
types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));
types.setTypeParser(types.builtins.NUMERIC, (value: string) => Number(value));
