// Shared Jest settings: TypeScript through SWC (decorator metadata on, for NestJS),
// and the same path alias as tsconfig.base.json.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@copd/domain$': path.join(__dirname, 'libs/domain/src/index.ts'),
    '^@copd/migrations$': path.join(__dirname, 'migrations/index.ts'),
    '^@copd/dev-stack$': path.join(__dirname, 'libs/dev-stack/src/index.ts'),
  },
};
