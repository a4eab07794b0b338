// Lint for the whole workspace. Two rules carry architecture: Nx module boundaries (tags in each
// project.json) and a hard ban on framework and I/O imports inside libs/domain.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const FRAMEWORK_AND_IO = [
  '@nestjs/*', 'typeorm', 'typeorm/*', 'bullmq', 'ioredis', 'pg', 'class-validator', 'class-transformer',
  'express', 'node:*', 'fs', 'path', 'http', 'https', 'net', 'crypto', 'child_process', 'os',
];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', '.nx/**', 'coverage/**', 'screenshots/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:migrations', 'type:dev-stack'] },
            { sourceTag: 'type:dev-stack', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:migrations', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['libs/domain/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: FRAMEWORK_AND_IO,
              message: 'libs/domain is pure: no framework, database, queue or Node I/O imports (STYLE.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // tools/ holds operational scripts (demo, test runner, benchmarks) that drive the apps from outside;
    // they may import app internals directly. Nothing imports tools/, so no dependency cycle can form.
    files: ['tools/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
