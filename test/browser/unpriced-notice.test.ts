/**
 * The charges chart tells when paid units could not be priced: a number whose charges answer carries
 * `unpriced_units` shows "N paid conversations could not be priced", a number whose paid units are all priced
 * shows no such notice. Real app, real ingest, Debian's Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBrowserFixture,
  SCREENSHOTS,
  seriousViolations,
  type BrowserFixture,
} from './browser-setup.js';

describe('ci-charges-chart unpriced notice', () => {
  let f: BrowserFixture;
  let token: string;
  beforeAll(async () => {
    f = await createBrowserFixture();
    // A GBP WABA: no shipped card prices GBP, so only records that carry their own rate are priced.
    await f.h.waba(f.key, { waba_id: 'W3', timezone: 'UTC', currency: 'GBP' }, ['P4']);
    const lines: string[] = [];
    for (let m = 3; m <= 5; m++) {
      for (let i = 0; i < 5; i++) {
        lines.push(
          JSON.stringify({
            unit_id: `p4-${m}-${i}`,
            pricing_model: 'CBP',
            unit: 'conversation',
            waba_id: 'W3',
            phone_number_id: 'P4',
            recipient_wa_id: '447700900123',
            category: 'marketing',
            status_final: 'delivered',
            opened_at: `2025-0${m}-0${i + 1}T10:00:00Z`,
            // Three of five carry the rate they were billed at; two carry none.
            ...(i < 3 ? { rate: '0.0500' } : {}),
          }),
        );
      }
    }
    const r = await f.h.call('POST', '/v1/ingest', {
      token: f.key,
      body: lines.join('\n') + '\n',
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(r.status).toBe(200);
    token = await f.mint({ phone_number_ids: ['P1', 'P4'], scopes: ['read-usage'] });
  });
  afterAll(() => f?.close());

  it('shows the notice for a number with unpriced paid units', async () => {
    const api = await f.h.json('GET', '/v1/charges?phone_number_id=P4&from=2025-01&to=2025-06', {
      token: f.key,
    });
    expect(api.body.unpriced_units.count).toBe(6);
    const page = await f.open('ci-charges-chart', token, { locale: 'en-US', 'phone-number-id': 'P4' });
    await page.waitForSelector('ci-charges-chart[data-chart-drawn]');
    const notice = page.locator('ci-charges-chart [data-testid=unpriced]');
    await notice.waitFor();
    expect(await notice.textContent()).toBe(
      '6 paid conversations could not be priced: the charges shown leave them out.',
    );
    expect(await notice.getAttribute('role')).toBe('note');
    expect(await notice.isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/charges-unpriced-notice.png`, fullPage: true });
    await page.close();
  });

  it('shows no notice for a number whose paid units are all priced', async () => {
    const api = await f.h.json('GET', '/v1/charges?phone_number_id=P1&from=2025-01&to=2025-06', {
      token: f.key,
    });
    expect(api.body.unpriced_units.count).toBe(0);
    const page = await f.open('ci-charges-chart', token, { locale: 'en-US', 'phone-number-id': 'P1' });
    await page.waitForSelector('ci-charges-chart[data-chart-drawn]');
    expect(await page.locator('ci-charges-chart [data-testid=summary]').textContent()).toBeTruthy();
    expect(await page.locator('ci-charges-chart [data-testid=unpriced]').count()).toBe(0);
    expect(await page.locator('ci-charges-chart').textContent()).not.toContain('could not be priced');
    await page.screenshot({ path: `${SCREENSHOTS}/charges-all-priced.png`, fullPage: true });
    await page.close();
  });
});
