import path from 'node:path';
import { defineConfig } from 'vite';

const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';

// React without a plugin: esbuild compiles TSX with the automatic JSX runtime.
export default defineConfig({
  root: path.resolve(import.meta.dirname),
  base: '/',
  esbuild: { jsx: 'automatic' },
  // The same alias as tsconfig.base.json: the dashboard takes the indicator catalogue from the domain library.
  resolve: { alias: { '@copd/domain': path.resolve(import.meta.dirname, '../../libs/domain/src/index.ts') } },
  build: {
    outDir: path.resolve(import.meta.dirname, '../../dist/apps/dashboard'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      // libs/domain is pure (no module runs anything on import): what the dashboard does not use of it, and the
      // libraries only that part needs (jstat, js-joda), stay out of the bundle.
      treeshake: { moduleSideEffects: (id) => !id.includes('/libs/domain/') },
      // react-router ships a "use client" directive for React Server Components; meaningless in this
      // client-only bundle, so the warning about dropping it is noise.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    port: Number(process.env.DASHBOARD_PORT ?? 4200),
    proxy: { '/api': apiUrl, '/health': apiUrl },
  },
});
