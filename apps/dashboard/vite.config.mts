import path from 'node:path';
import { defineConfig } from 'vite';

const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';

// React without a plugin: esbuild compiles TSX with the automatic JSX runtime.
export default defineConfig({
  root: path.resolve(import.meta.dirname),
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: path.resolve(import.meta.dirname, '../../dist/apps/dashboard'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
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
