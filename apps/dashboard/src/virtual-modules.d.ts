/** docs/definitions.md as HTML, rendered at build time by the vite plugin in apps/dashboard/vite.config.mts. */
declare module 'virtual:definitions' {
  export const definitionsHtml: string;
}
