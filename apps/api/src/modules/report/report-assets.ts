import MarkdownIt from 'markdown-it';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/*
 * The report's fixed assets, read once per process: chart.js's UMD build (inlined, so the report is one file
 * that draws its charts without a network) and docs/definitions.md rendered to HTML the way the dashboard's
 * /definities page renders it (apps/dashboard/vite.config.mts).
 */
let chartJs: string | undefined;
let definitions: string | undefined;

/** chart.js's UMD build without its source-map comment (the map is not shipped with the report). */
export function chartJsSource(): string {
  if (chartJs === undefined) {
    const file = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js');
    chartJs = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
    // Inlined in a <script> element: the text must not close it.
    if (/<\/script/i.test(chartJs)) throw new Error('chart.umd.js contains </script and cannot be inlined');
  }
  return chartJs;
}

/**
 * docs/definitions.md as HTML. The file is the repository's own text (not user data), so its raw HTML (the
 * `<a id="CODE">` anchors) is kept and moved onto the headings; links into the repository keep their text only.
 */
export function definitionsHtml(): string {
  if (definitions === undefined) {
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
    definitions = markdown
      .render(readFileSync(definitionsFile(), 'utf8'))
      .replace(/<p><a id="([\w-]+)"><\/a><\/p>\n<h([1-6])>/g, '<h$2 id="def-$1">');
  }
  return definitions;
}

/**
 * docs/definitions.md of the repository or of the image (the Dockerfile copies docs/ next to dist/): the first
 * one found walking up from this file, then from the working directory.
 */
function definitionsFile(): string {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      const candidate = path.join(dir, 'docs', 'definitions.md');
      if (existsSync(candidate)) return candidate;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('docs/definitions.md not found (the report includes it as its methods)');
}
