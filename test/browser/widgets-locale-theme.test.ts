import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBrowserFixture,
  SCREENSHOTS,
  seriousViolations,
  type BrowserFixture,
} from './browser-setup.js';

/** Contrast ratio (WCAG 2) of every chart text against the card's background, computed in the page. */
function chartTextContrasts(page: Page, tag: string): Promise<{ text: string; ratio: number }[]> {
  return page.evaluate((t) => {
    const host = document.querySelector(t)!;
    const root = host.shadowRoot!;
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const bg = getComputedStyle(root.querySelector('.card')!).backgroundColor;
    return [...root.querySelectorAll('svg text')]
      .filter((n) => (n.textContent ?? '').trim() !== '')
      .map((n) => {
        const fg = getComputedStyle(n).fill;
        const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
        return { text: n.textContent ?? '', ratio: (a! + 0.05) / (b! + 0.05) };
      });
  }, tag);
}

describe('widgets in other languages and the dark preset', () => {
  let f: BrowserFixture;
  let token: string;
  beforeAll(async () => {
    f = await createBrowserFixture();
    token = await f.mint();
  }, 120_000);
  afterAll(() => f.close());

  it('de-DE: German words from the catalogue, German numbers on the axes and in the table', async () => {
    const page = await f.open('ci-usage-chart,ci-funds-table,ci-charges-chart', token, { locale: 'de-DE' });
    await page.locator('ci-usage-chart[data-chart-drawn]').waitFor();
    await page.locator('ci-charges-chart[data-chart-drawn]').waitFor();
    await page.locator('ci-funds-table [data-testid=balance]').first().waitFor();
    expect(await page.locator('ci-usage-chart h2').textContent()).toBe('Verbrauch');
    expect(await page.locator('ci-usage-chart [data-mode]').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Kostenlos'),
        expect.stringContaining('Kostenpflichtig'),
      ]),
    );
    expect(await page.locator('ci-funds-table h2').textContent()).toBe('Guthaben und Aufladungen');
    expect(await page.locator('ci-funds-table [data-testid=balance]').first().textContent()).toMatch(
      /60,00\s\$/,
    );
    const legend = await page.locator('ci-usage-chart svg').first().textContent();
    expect(legend).toContain('Kostenlos');
    const charges = await page.locator('ci-charges-chart svg').first().textContent();
    expect(charges).toContain('Kosten (USD, Schätzung)');
    // The money axis uses the German decimal comma.
    expect(charges).toMatch(/\d,\d/);
    expect(await page.locator('ci-charges-chart [data-testid=summary]').textContent()).toContain(
      'Schätzungen',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'widgets-de-DE.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('hi-IN: Hindi words, Indian digit grouping in the chart locale', async () => {
    const page = await f.open('ci-usage-chart,ci-funds-table', token, { locale: 'hi-IN' });
    await page.locator('ci-usage-chart[data-chart-drawn]').waitFor();
    await page.locator('ci-funds-table [data-testid=balance]').first().waitFor();
    expect(await page.locator('ci-usage-chart h2').textContent()).toBe('उपयोग');
    expect(await page.locator('ci-funds-table h2').textContent()).toBe('फ़ंड');
    expect(await page.locator('ci-funds-table [data-testid=balance]').first().textContent()).toContain(
      '60.00',
    );
    const summary = await page.locator('ci-usage-chart [data-testid=summary]').textContent();
    expect(summary).toContain('बातचीत');
    const grouped = await page.evaluate(() => new Intl.NumberFormat('hi-IN').format(1234567));
    expect(grouped).toBe('12,34,567');
    await page.screenshot({ path: join(SCREENSHOTS, 'widgets-hi-IN.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('theme="dark": chart background, text and grid follow the preset, text contrast at least 4.5:1', async () => {
    const page = await f.open('ci-usage-chart,ci-charges-chart,ci-funds-table', token);
    await page.evaluate(() => {
      document.body.style.background = '#0b0f17';
      document.body.style.color = '#e6e9ef';
      for (const el of document.querySelectorAll('[data-widget]')) el.setAttribute('theme', 'dark');
    });
    await page.locator('ci-usage-chart[data-chart-drawn]').waitFor();
    await page.locator('ci-charges-chart[data-chart-drawn]').waitFor();
    // The chart is redrawn with the dark colours: its text reads light on the dark card.
    await page.waitForFunction(() => {
      const t = document.querySelector('ci-usage-chart')!.shadowRoot!.querySelector('svg text');
      return t !== null && getComputedStyle(t).fill === 'rgb(230, 233, 239)';
    });
    for (const tag of ['ci-usage-chart', 'ci-charges-chart']) {
      const texts = await chartTextContrasts(page, tag);
      expect(texts.length).toBeGreaterThan(3);
      for (const t of texts) expect(t.ratio, `${tag} "${t.text}"`).toBeGreaterThanOrEqual(4.5);
    }
    const light = await f.open('ci-usage-chart', token);
    await light.locator('ci-usage-chart[data-chart-drawn]').waitFor();
    for (const t of await chartTextContrasts(light, 'ci-usage-chart'))
      expect(t.ratio).toBeGreaterThanOrEqual(4.5);
    await light.close();
    const bg = await page.evaluate(
      () =>
        getComputedStyle(document.querySelector('ci-usage-chart')!.shadowRoot!.querySelector('.card')!)
          .backgroundColor,
    );
    expect(bg).toBe('rgb(22, 27, 38)');
    await page.screenshot({ path: join(SCREENSHOTS, 'widgets-dark.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
