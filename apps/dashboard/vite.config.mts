import MarkdownIt from 'markdown-it';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:3000';

const DEFINITIONS_MODULE = 'virtual:definitions';
const DEFINITIONS_FILE = path.resolve(import.meta.dirname, '../../docs/definitions.md');

/**
 * docs/definitions.md rendered to HTML at build time, as the module `virtual:definitions` (the /definities page
 * loads it as its own chunk). The file is the repository's own text, so its raw HTML (the `<a id="CODE">`
 * anchors every indicator name links to) is kept. Links into the repository (../README.md) mean nothing inside
 * the dashboard: they keep their text and lose the link.
 */
function definitionsPlugin(): Plugin {
  const resolved = '\0' + DEFINITIONS_MODULE;
  const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });
  const renderToken = markdown.renderer.renderToken.bind(markdown.renderer);
  markdown.renderer.rules.link_open = (tokens, idx, options) => {
    const href = String(tokens[idx].attrGet('href') ?? '');
    if (!/^(https?:|mailto:|#)/.test(href)) {
      tokens[idx].attrs = (tokens[idx].attrs ?? []).filter(([name]) => name !== 'href');
      tokens[idx].attrSet('data-repository-path', href);
    }
    return renderToken(tokens, idx, options);
  };
  return {
    name: 'copd-definitions',
    resolveId: (id) => (id === DEFINITIONS_MODULE ? resolved : null),
    load(id) {
      if (id !== resolved) return null;
      this.addWatchFile(DEFINITIONS_FILE);
      // `<a id="CODE"></a>` on the line before a heading renders as a paragraph of its own: the id moves onto the
      // heading, so /definities#CODE lands on (and highlights) the heading itself.
      const html = markdown
        .render(readFileSync(DEFINITIONS_FILE, 'utf8'))
        .replace(/<p><a id="([\w-]+)"><\/a><\/p>\n<h([1-6])>/g, '<h$2 id="$1">');
      return `export const definitionsHtml = ${JSON.stringify(html)};`;
    },
  };
}

// React without a plugin: esbuild compiles TSX with the automatic JSX runtime.
export default defineConfig({
  root: path.resolve(import.meta.dirname),
  base: '/',
  esbuild: { jsx: 'automatic' },
  plugins: [definitionsPlugin()],
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
