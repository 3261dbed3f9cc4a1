import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBrowserFixture,
  SCREENSHOTS,
  seriousViolations,
  type BrowserFixture,
} from './browser-setup.js';

describe('widgets in Chromium: add-funds wizard and error states', () => {
  let f: BrowserFixture;
  beforeAll(async () => {
    f = await createBrowserFixture();
  });
  afterAll(() => f?.close());

  it('the wizard completes a top-up against the running service and shows it pending', async () => {
    const token = await f.mint();
    const page = await f.open('ci-add-funds', token, { locale: 'en-US', 'phone-number-id': 'P2' });
    const wizard = page.locator('ci-add-funds');
    await wizard.locator('select#number').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await wizard.locator('select#method').selectOption('card');
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('input#amount').fill('50');
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('[data-testid=quote]').waitFor();
    const fmt = (v: string) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(v));
    // The default fee schedule charges 4 % on cards: 50.00 + 2.00 = 52.00.
    expect(await wizard.locator('[data-testid=amount]').textContent()).toBe(fmt('50'));
    expect(await wizard.locator('[data-testid=fee]').textContent()).toBe(fmt('2'));
    expect(await wizard.locator('[data-testid=total]').textContent()).toBe(fmt('52'));
    await page.screenshot({ path: `${SCREENSHOTS}/add-funds-review.png`, fullPage: true });
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('[data-testid=pending]').waitFor();
    expect(await wizard.locator('[data-testid=pending]').textContent()).toContain('Payment pending');
    await page.screenshot({ path: `${SCREENSHOTS}/add-funds-pending.png`, fullPage: true });

    const funds = await f.h.json('GET', '/v1/phone-numbers/P2/funds', { token });
    const pending = (funds.body.topups as { status: string }[]).filter((t) => t.status === 'pending');
    expect(pending).toHaveLength(1);
    const balance = await f.h.json('GET', '/v1/phone-numbers/P2/balance', { token });
    expect(Number(balance.body.pending)).toBe(50);
    await page.close();
  });

  it('the wizard sets up auto-renewal with a threshold', async () => {
    const token = await f.mint();
    const page = await f.open('ci-add-funds', token, { locale: 'en-US', 'phone-number-id': 'P1' });
    const wizard = page.locator('ci-add-funds');
    await wizard.locator('select#number').waitFor();
    await wizard.getByLabel('Auto-renewal').check();
    await wizard.locator('select#method').selectOption('bank_transfer');
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('input#amount').fill('20');
    await wizard.locator('input#threshold').fill('5');
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('[data-testid=quote]').waitFor();
    // Bank transfer carries no fee in the default schedule.
    expect(await wizard.locator('[data-testid=fee]').textContent()).toBe('$0.00');
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('[data-testid=pending]').waitFor();
    const renewal = await f.h.json('GET', '/v1/phone-numbers/P1/auto-renewal', { token });
    expect(renewal.status).toBe(200);
    expect(JSON.stringify(renewal.body)).toMatch(/"enabled":true/);
    expect(JSON.stringify(renewal.body)).toMatch(/"threshold":"5(\.0+)?"/);
    await page.close();
  });

  it('the funds table edits a label and opens the wizard for its number', async () => {
    const token = await f.mint();
    const page = await f.open('ci-funds-table', token, { locale: 'en-US' });
    const row = page.locator('ci-funds-table tr[data-phone=P1]');
    await row.locator('[data-testid=label]').waitFor();
    await row.getByRole('button', { name: 'Edit label of Sales' }).click();
    await row.locator('input#label-input').fill('Sales EU');
    await row.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => row.locator('[data-testid=label]').textContent()).toBe('Sales EU');
    const phone = await f.h.json('GET', '/v1/phone-numbers/P1', { token: f.key });
    expect(phone.body.label).toBe('Sales EU');

    await row.getByRole('button', { name: 'Add funds to Sales EU' }).click();
    const wizard = page.locator('ci-funds-table dialog[open] ci-add-funds');
    await wizard.locator('select#number').waitFor();
    expect(await wizard.locator('select#number').inputValue()).toBe('P1');
    await page.screenshot({ path: `${SCREENSHOTS}/funds-table-dialog.png`, fullPage: true });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('ci-funds-table dialog[open]').count()).toBe(0);
    await f.h.json('PATCH', '/v1/phone-numbers/P1', { token: f.key, body: { label: 'Sales' } });
    await page.close();
  });

  it('works embedded cross-origin only from an allowed origin (CORS)', async () => {
    // localhost and 127.0.0.1 are different origins: the page comes from one, the API from the other.
    const portal = `http://localhost:${new URL(f.url).port}`;
    const open = async (token: string) => {
      const page = await f.context.newPage();
      const qs = new URLSearchParams({ widgets: 'ci-funds-table,ci-add-funds', token, 'api-base': f.url });
      await page.goto(`${portal}/sandbox.html?${qs}`);
      return page;
    };
    // acme allows no origin: the browser blocks the answers and the widget says why, naming the origin.
    const blocked = await open(await f.mint());
    await blocked.locator('ci-funds-table [role=alert]').waitFor();
    expect(await blocked.locator('ci-funds-table [role=alert]').textContent()).toContain(
      `This page's origin ${portal} is not allowed for this partner.`,
    );
    await blocked.close();

    const key = await f.h.partner('initech', [portal]);
    await f.h.waba(key, { waba_id: 'W5', timezone: 'UTC', currency: 'USD' }, ['P5']);
    const minted = await f.h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['P5'], scopes: ['read-balance', 'add-funds'] },
    });
    const page = await open(minted.body.token);
    await page.locator('ci-funds-table [data-testid=balance]').first().waitFor();
    // The wizard's POST carries Content-Type, so it needs the preflight to pass too.
    const wizard = page.locator('ci-add-funds');
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('input#amount').fill('10');
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('[data-testid=quote]').waitFor();
    await page.close();
  });

  it('shows the error state for an expired token', async () => {
    const token = await f.mint({ ttl_seconds: 60 });
    f.h.clock.advance(61_000);
    try {
      const page = await f.open('ci-usage-chart,ci-funds-table', token);
      const alert = page.locator('ci-usage-chart [role=alert]');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('expired');
      await page.locator('ci-funds-table [role=alert]').waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}/error-expired.png`, fullPage: true });
      await page.close();
    } finally {
      f.h.clock.advance(-61_000);
    }
  });

  it('shows the error state for a token without the needed scope or number', async () => {
    const token = await f.mint({ scopes: ['read-balance'] });
    const page = await f.open('ci-usage-chart', token);
    const alert = page.locator('ci-usage-chart [role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('not allowed');
    await page.close();

    const p1Only = await f.mint({ phone_number_ids: ['P1'] });
    const other = await f.open('ci-charges-chart', p1Only, { 'phone-number-id': 'P3' });
    await other.locator('ci-charges-chart [role=alert]').waitFor();
    expect(await other.locator('ci-charges-chart [role=alert]').textContent()).toContain('not found');
    await other.close();
  });
});
