import { COLLECTIONS, type ExchangeDocument } from './exchange-document';

/**
 * The document as a file: valid JSON with one record per line, so files diff line by line and stay compact
 * (a 100,000-session document is about 8 MB). Parses back to the same document.
 */
export function formatDocument(doc: ExchangeDocument): string {
  const parts = [`  "experiment": ${JSON.stringify(doc.experiment)}`];
  for (const collection of COLLECTIONS) {
    const items = doc[collection] as unknown[];
    parts.push(
      items.length === 0
        ? `  "${collection}": []`
        : `  "${collection}": [\n${items.map((item) => `    ${JSON.stringify(item)}`).join(',\n')}\n  ]`,
    );
  }
  return `{\n${parts.join(',\n')}\n}\n`;
}
