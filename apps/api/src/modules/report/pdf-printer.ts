import { Injectable } from '@nestjs/common';
import { chromium } from 'playwright-core';
import { AppConfig } from '../../core/config/app-config';

/** How long the page may take to draw its charts before printing is given up. */
const CHARTS_TIMEOUT_MS = 30_000;

/**
 * Prints the report's HTML to an A4 PDF with headless Chromium (playwright-core driving the CHROMIUM_PATH
 * binary; no browser is ever downloaded). One browser per print, closed afterwards: reports are rare, and a
 * crashed print leaves nothing behind. The page gets no network at all (the report is self-contained), and is
 * printed only after its chart script has set window.reportReady.
 */
@Injectable()
export class PdfPrinter {
  constructor(private readonly config: AppConfig) {}

  async print(html: string, footerLabel: string): Promise<Buffer> {
    const browser = await chromium.launch({
      executablePath: this.config.CHROMIUM_PATH,
      // No sandbox: the page is our own self-contained HTML without network. /dev/shm is small in containers.
      args: [
        '--no-sandbox',
        '--disable-dev-shm-usage',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const context = await browser.newContext({ offline: true });
      const page = await context.newPage();
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load', timeout: CHARTS_TIMEOUT_MS });
      await page.waitForFunction('window.reportReady === true', undefined, { timeout: CHARTS_TIMEOUT_MS });
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: footer(footerLabel),
        margin: { top: '16mm', right: '14mm', bottom: '18mm', left: '14mm' },
      });
      return Buffer.from(pdf);
    } finally {
      await browser.close().catch(() => undefined);
    }
  }
}

/** Chromium's footer template: the label and "page / pages" (its classes pageNumber and totalPages). */
function footer(label: string): string {
  const text = label.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return (
    '<div style="width:100%;font-size:7pt;font-family:Helvetica,Arial,sans-serif;color:#4b5563;padding:0 14mm;display:flex;justify-content:space-between;">' +
    `<span>${text}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`
  );
}
