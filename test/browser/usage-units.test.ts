/**
 * Conversations (CBP) and messages (PMP) are different units: across the per-message switch the usage chart
 * draws one panel per unit instead of adding them, and a range change that adds a panel resizes the chart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBrowserFixture,
  SCREENSHOTS,
  seriousViolations,
  type BrowserFixture,
} from './browser-setup.js';

describe('ci-usage-chart across the per-message switch', () => {
  let f: BrowserFixture;
  let token: string;
  beforeAll(async () => {
    f = await createBrowserFixture();
    token = await f.mint();
    // Messages in July 2025, after W1's switch to per-message pricing (default 2025-07-01).
    const lines = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify({
        unit_id: `wamid.jul-${i}`,
        pricing_model: 'PMP',
        unit: 'message',
        waba_id: 'W1',
        phone_number_id: 'P1',
        recipient_wa_id: '15550001111',
        category: i < 4 ? 'marketing' : 'utility',
        is_template: 'true',
        in_csw: i >= 4 ? 'true' : 'false',
        status_final: 'delivered',
        opened_at: `2025-07-0${i + 1}T10:00:00Z`,
      }),
    );
    const r = await f.h.call('POST', '/v1/ingest', {
      token: f.key,
      body: lines.join('\n') + '\n',
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(r.status).toBe(200);
  });
  afterAll(() => f?.close());

  it('draws conversations and messages in separate panels, each with its own periods', async () => {
    const page = await f.open('ci-usage-chart', token, { locale: 'en-US' });
    await page.waitForSelector('ci-usage-chart[data-chart-drawn]');
    const texts = () => page.locator('ci-usage-chart svg text').allTextContents();
    expect(await texts()).toContain('Conversations');
    expect(await texts()).not.toContain('Messages');
    const height = () =>
      page.locator('ci-usage-chart svg').evaluate((el) => el.getBoundingClientRect().height);
    const oneHigh = await height();

    // A range over the switch: a second panel appears and the chart grows to hold it.
    await page.evaluate(() => {
      const el = document.querySelector('ci-usage-chart')!;
      el.setAttribute('from', '2025-05');
      el.setAttribute('to', '2025-07');
    });
    await expect.poll(texts).toContain('Messages');
    await expect.poll(height).toBeGreaterThan(oneHigh * 1.6);
    const labels = await texts();
    // May in the conversations panel, July in the messages panel: no empty July bar under conversations.
    expect(labels.filter((t) => t === 'May 2025')).toHaveLength(1);
    expect(labels.filter((t) => t === 'Jul 2025')).toHaveLength(1);
    const summary = await page.locator('ci-usage-chart [data-testid=summary]').textContent();
    expect(summary).toContain('6 messages (2 free, 4 paid) from Jul 2025 to Jul 2025');
    expect(summary).toMatch(/\d+ conversations \(\d+ free, \d+ paid\) from May 2025 to May 2025/);
    await page.locator('ci-usage-chart summary').click();
    expect(await page.locator('ci-usage-chart table th').allTextContents()).toContain('Unit');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/usage-chart-units.png`, fullPage: true });
    await page.close();
  });
});
