import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, type BrowserFixture } from './browser-setup.js';
import { createJourneyFixture, JOURNEY_NUMBERS } from './journey-setup.js';

describe('widgets in Chromium: one name per number on the page', () => {
  let f: BrowserFixture;
  beforeAll(async () => {
    f = await createJourneyFixture();
  });
  afterAll(() => f?.close());

  it('a label edited in the funds table shows at once in the other widgets', async () => {
    const token = await f.mint({ phone_number_ids: JOURNEY_NUMBERS });
    const page = await f.open('ci-funds-table,ci-auto-renewal,ci-add-funds', token, {
      locale: 'en-US',
      'phone-number-id': 'P2',
    });
    const row = page.locator('ci-funds-table tr[data-phone=P2]');
    await row.locator('[data-testid=label]').waitFor();
    await expect.poll(() => page.locator('ci-auto-renewal [data-testid=scope]').innerText()).toBe('Support');
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await row.getByRole('button', { name: 'Edit label of Support' }).click();
    await row.locator('input#label-input').fill('Helpdesk');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('ci-auto-renewal [data-testid=scope]').innerText()).toBe('Helpdesk');
    await expect
      .poll(async () =>
        (await page.locator('ci-add-funds select#number option[value=P2]').innerText()).trim(),
      )
      .toBe('Helpdesk');
    // The other widgets did not reload their numbers to learn the name.
    expect(requests.filter((p) => p === '/v1/phone-numbers')).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/label-sync.png`, fullPage: true });
    await page.close();
  });
});
