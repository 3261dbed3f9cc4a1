import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBrowserFixture,
  SCREENSHOTS,
  seriousViolations,
  type BrowserFixture,
} from './browser-setup.js';

const EVERY_WIDGET =
  'ci-usage-chart,ci-charges-chart,ci-balance-breakdown,ci-funds-table,ci-add-funds,ci-auto-renewal,ci-runway-card';

/** Every visible button in the page's widgets (shadow roots included): its text and how many lines it takes. */
function buttonLines(page: Page): Promise<{ text: string; lines: number; byHeight: number }[]> {
  return page.evaluate(() => {
    const out: { text: string; lines: number; byHeight: number }[] = [];
    const visit = (root: Document | ShadowRoot) => {
      for (const b of root.querySelectorAll('button')) {
        const box = b.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        // Lines by layout: the distinct line boxes the button's text occupies.
        const range = document.createRange();
        range.selectNodeContents(b);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.bottom)));
        // Lines by height: the content box over one line's height.
        const cs = getComputedStyle(b);
        const lineHeight = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.25;
        const content = b.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
        out.push({ text: (b.textContent ?? '').trim(), lines: tops.size, byHeight: content / lineHeight });
      }
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
    };
    visit(document);
    return out;
  });
}

/** Widgets whose card is wider than its box (something sticks out sideways). */
function overflowingCards(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-widget]')]
      .filter((w) => {
        const card = w.shadowRoot?.querySelector<HTMLElement>('.card');
        return card !== null && card !== undefined && card.scrollWidth > card.clientWidth + 1;
      })
      .map((w) => w.tagName.toLowerCase()),
  );
}

describe('small screens and narrow portal cells', () => {
  let f: BrowserFixture;
  let token: string;
  beforeAll(async () => {
    f = await createBrowserFixture();
    token = await f.mint();
  }, 120_000);
  afterAll(() => f?.close());

  it('390 px: the funds table stacks each number, every field labelled and inside the screen', async () => {
    const page = await f.open('ci-funds-table', token, { locale: 'en-US' });
    await page.setViewportSize({ width: 390, height: 844 });
    const table = page.locator('ci-funds-table');
    await expect.poll(() => table.locator('[data-testid=runway]').first().innerText()).not.toBe('…');
    const fields = ['label', 'balance', 'pending', 'renewal', 'runway'] as const;
    for (const phone of ['P1', 'P2']) {
      const row = table.locator(`tr[data-phone=${phone}]`);
      const cells = await row.evaluate((tr) =>
        [...tr.querySelectorAll('td')].map((td) => {
          const r = td.getBoundingClientRect();
          return {
            label: td.getAttribute('data-label'),
            before: getComputedStyle(td, '::before').content,
            text: (td.textContent ?? '').trim(),
            left: r.left,
            right: r.right,
            top: r.top,
            width: r.width,
            height: r.height,
          };
        }),
      );
      expect(cells).toHaveLength(6);
      // One field per line, top to bottom, each shown with its column's name.
      for (let i = 1; i < cells.length; i++) expect(cells[i]!.top).toBeGreaterThan(cells[i - 1]!.top);
      const names = ['Number', 'Balance', 'Pending', 'Auto-renewal', 'Runs out (P50, estimate)'];
      names.forEach((n, i) => {
        expect(cells[i]!.label).toBe(n);
        expect(cells[i]!.before).toBe(`"${n}"`);
      });
      for (const c of cells) {
        expect(c.width).toBeGreaterThan(0);
        expect(c.height).toBeGreaterThan(0);
        expect(c.left).toBeGreaterThanOrEqual(0);
        expect(c.right).toBeLessThanOrEqual(390);
      }
      for (const name of fields) {
        const box = await row.locator(`[data-testid=${name}]`).boundingBox();
        expect(box, `${phone} ${name}`).not.toBeNull();
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
      for (const button of await row.locator('button').all()) {
        const box = (await button.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(390);
      }
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await overflowingCards(page)).toEqual([]);
    const scroll = await table.locator('.scroll').evaluate((d) => [d.scrollWidth, d.clientWidth]);
    expect(scroll[0]).toBeLessThanOrEqual(scroll[1]! + 1);
    await page.screenshot({ path: join(SCREENSHOTS, 'funds-table-390.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('560 px in German: no button text wraps and no card sticks out, wizard step 2 included', async () => {
    const page = await f.open(EVERY_WIDGET, token, { locale: 'de-DE', 'phone-number-id': 'P1' });
    await page.setViewportSize({ width: 560, height: 900 });
    await page.locator('ci-usage-chart[data-chart-drawn]').waitFor();
    await page.locator('ci-charges-chart[data-chart-drawn]').waitFor();
    await page.locator('ci-funds-table [data-testid=balance]').first().waitFor();
    await page.locator('ci-auto-renewal [data-testid=status]').waitFor();
    await page.locator('ci-runway-card [data-testid=p50]').waitFor();
    const wizard = page.locator('ci-add-funds');
    await wizard.locator('select#method:not([disabled])').waitFor();
    const check = async () => {
      const buttons = await buttonLines(page);
      expect(buttons.length).toBeGreaterThan(8);
      for (const b of buttons) {
        expect(b.lines, `"${b.text}" lines`).toBe(1);
        expect(b.byHeight, `"${b.text}" height in lines`).toBeLessThan(1.5);
      }
      expect(await overflowingCards(page)).toEqual([]);
    };
    await check();
    await page.screenshot({ path: join(SCREENSHOTS, 'widgets-560-de.png'), fullPage: true });
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('input#amount').waitFor();
    await check();
    await page.screenshot({ path: join(SCREENSHOTS, 'widgets-560-de-step2.png'), fullPage: true });
    await page.close();
  });

  it('a short phone screen: the wizard dialog keeps its close button in view at every step', async () => {
    const page = await f.open('ci-funds-table', token, { locale: 'de-DE' });
    await page.setViewportSize({ width: 390, height: 560 });
    const table = page.locator('ci-funds-table');
    await table.locator('tr[data-phone=P1] button.primary').click();
    const dialog = table.locator('dialog[open]');
    await dialog.locator('ci-add-funds select#method:not([disabled])').waitFor();
    const inView = async () => {
      const close = (await dialog.locator('[data-testid=close-dialog]').boundingBox())!;
      expect(close.y).toBeGreaterThanOrEqual(0);
      expect(close.y + close.height).toBeLessThanOrEqual(560);
      expect(close.x).toBeGreaterThanOrEqual(0);
      expect(close.x + close.width).toBeLessThanOrEqual(390);
      const box = (await dialog.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(560);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    };
    await inView();
    await dialog.locator('ci-add-funds [data-testid=next]').click();
    await dialog.locator('ci-add-funds input#amount').fill('20');
    await inView();
    await page.screenshot({ path: join(SCREENSHOTS, 'funds-dialog-390x560.png') });
    await dialog.locator('[data-testid=close-dialog]').click();
    await expect.poll(() => table.locator('dialog[open]').count()).toBe(0);
    await page.close();
  });
});
