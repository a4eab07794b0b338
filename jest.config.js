// One Jest run over every project; `npm test` points it at a live PostgreSQL and Redis.
module.exports = {
  projects: ['<rootDir>/libs/domain', '<rootDir>/apps/api', '<rootDir>/apps/dashboard'],
  passWithNoTests: false,
  // Integration specs start real servers and workers; Jest reads this option only at the root.
  testTimeout: 120000,
};
