import AxeBuilder from '@axe-core/playwright';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS } from './e2e-stack';

/** axe-core on the current page: no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const severe = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(severe.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

/** screenshots/<name>.png, the whole page or only the viewport. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** A GET through the page's signed-in session, which must answer 200; the parsed body. */
export async function apiJson<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(new URL(url, page.url()).toString());
  expect(response.status()).toBe(200);
  return (await response.json()) as T;
}

/** The trimmed visible text of the first element the selector finds. */
export async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).innerText()).trim();
}

/** Elements that reach past the right edge of the viewport, outside a box that scrolls them (what makes a page scroll sideways). */
export function sticksOut(page: Page, width: number): Promise<string[]> {
  return page.evaluate((right) => {
    const scrolls = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > right + 0.5 && getComputedStyle(el).display !== 'none')
      // Inside a scrolling box; an absolutely positioned element only if the box is (or holds) its containing block.
      .filter((el) => {
        const positioned = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
        const start = positioned ? (el as HTMLElement).offsetParent : el.parentElement;
        for (let p = start; p; p = p.parentElement) if (scrolls(p)) return false;
        return true;
      })
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} ${Math.round(el.getBoundingClientRect().right)}`)
      .slice(0, 10);
  }, width);
}
