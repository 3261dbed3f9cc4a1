import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, type BrowserFixture } from './browser-setup.js';
import { createJourneyFixture, JOURNEY_NUMBERS } from './journey-setup.js';
import { textContrast } from './text-contrast.js';

/** A dark page, as a partner's dark portal would be, with every widget on the dark preset. */
async function darken(page: Page): Promise<void> {
  await page.evaluate(() => {
    document.body.style.background = '#0b0f17';
    document.body.style.color = '#e6e9ef';
    for (const el of document.querySelectorAll('[data-widget]')) el.setAttribute('theme', 'dark');
  });
}

describe('the dark preset: error and warning colours', () => {
  let f: BrowserFixture;
  let token: string;
  beforeAll(async () => {
    f = await createJourneyFixture();
    token = await f.mint({ phone_number_ids: JOURNEY_NUMBERS });
  }, 120_000);
  afterAll(() => f?.close());

  it('the out-of-funds notice and a refused amount read at least 4.5:1 on the dark card', async () => {
    const page = await f.open('ci-add-funds', token, { locale: 'en-US', 'phone-number-id': 'P5' });
    await darken(page);
    const wizard = page.locator('ci-add-funds');
    await wizard.locator('select#method:not([disabled])').waitFor();
    await wizard.locator('[data-testid=next]').click();
    const notice = wizard.locator('[data-testid=ran-out]');
    await notice.waitFor();
    const ranOut = await textContrast(notice);
    // The preset's own error surface, not the light preset's pink behind light text.
    expect(ranOut.background).toBe('rgb(59, 29, 35)');
    expect(ranOut.ratio, JSON.stringify(ranOut)).toBeGreaterThanOrEqual(4.5);

    await wizard.locator('input#amount').fill('abc');
    await wizard.locator('[data-testid=next]').click();
    const refused = wizard.locator('p.error[role=alert]');
    await refused.waitFor();
    const measured = await textContrast(refused);
    expect(measured.background).toBe('rgb(22, 27, 38)');
    expect(measured.ratio, JSON.stringify(measured)).toBeGreaterThanOrEqual(4.5);
    await page.screenshot({ path: join(SCREENSHOTS, 'dark-errors-wizard.png'), fullPage: true });
    await page.close();
  });

  it('an error state (an expired token) reads at least 4.5:1 on the dark card', async () => {
    const expired = await f.mint({ phone_number_ids: JOURNEY_NUMBERS, ttl_seconds: 60 });
    f.h.clock.advance(61_000);
    try {
      const page = await f.open('ci-funds-table,ci-runway-card', expired, { 'phone-number-id': 'P1' });
      await darken(page);
      for (const tag of ['ci-funds-table', 'ci-runway-card']) {
        const alert = page.locator(`${tag} .state.error p`);
        await alert.waitFor();
        const m = await textContrast(alert);
        expect(m.text).toContain('expired');
        expect(m.background).toBe('rgb(22, 27, 38)');
        expect(m.ratio, `${tag} ${JSON.stringify(m)}`).toBeGreaterThanOrEqual(4.5);
      }
      await page.screenshot({ path: join(SCREENSHOTS, 'dark-errors-expired.png'), fullPage: true });
      await page.close();
    } finally {
      f.h.clock.advance(-61_000);
    }
  });
});
