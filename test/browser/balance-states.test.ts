import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, seriousViolations, type BrowserFixture } from './browser-setup.js';
import { createScopeFixture, usd, type ScopeFixture } from './scope-setup.js';

describe('widgets in Chromium: currencies, run-out balances and data freshness', () => {
  let s: ScopeFixture;
  let f: BrowserFixture;
  let token: string;
  const open = (...args: Parameters<ScopeFixture['open']>) => s.open(...args);
  beforeAll(async () => {
    s = await createScopeFixture();
    f = s.f;
    token = s.token;
  });
  afterAll(() => s?.f.close());

  it('the breakdown shows each currency through a switcher, never "Other currencies", and no shares of a mixed-sign total', async () => {
    const page = await open('ci-balance-breakdown,ci-add-funds');
    const card = page.locator('ci-balance-breakdown');
    await card.locator('[data-testid=total]').waitFor();
    const balances = (await f.h.json('GET', '/v1/balances', { token })).body;
    expect(balances.totals.map((t: { currency: string }) => t.currency)).toEqual(['INR', 'USD']);
    const switcher = card.locator('[part~=currency-switch] button');
    expect(await switcher.allInnerTexts()).toEqual(['INR', 'USD']);
    expect(await card.innerText()).not.toContain('Other currencies');
    // INR first (the first total): Mumbai alone, shares shown (all positive).
    expect(await card.locator('[data-testid=scope]').innerText()).toBe('WABA: Acme India');
    expect(await card.locator('li [data-testid=share]').allInnerTexts()).toEqual(['100%']);

    // USD: Sales, Support, Promo (−2.50), Zero and Growth: mixed signs, so no percentages anywhere.
    await card.locator('[part~=currency-switch] button[data-currency=USD]').click();
    await expect
      .poll(() => card.locator('[data-testid=scope]').innerText())
      .toBe('WABA: Acme US and Acme EU');
    const usdTotal = balances.totals.find((t: { currency: string }) => t.currency === 'USD').balance;
    expect(await card.locator('[data-testid=total]').innerText()).toBe(usd(usdTotal));
    expect(await card.locator('[data-testid=shares-hidden]').count()).toBe(1);
    expect((await card.locator('li [data-testid=share]').allInnerTexts()).join('')).toBe('');
    expect(await card.locator('table th').allTextContents()).not.toContain('Share');
    expect(await card.innerText()).not.toMatch(/\d%/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/breakdown-currencies.png`, fullPage: true });
    await page.close();
  });

  it('a negative and a zero balance read "ran out on …, paid messages are blocked" with the action, and signs never wrap', async () => {
    const page = await open('ci-balance-breakdown,ci-funds-table,ci-runway-card,ci-add-funds', {
      currency: 'USD',
      'phone-number-id': 'P5',
    });
    const p5 = (await f.h.json('GET', '/v1/phone-numbers/P5/balance', { token })).body;
    const p7 = (await f.h.json('GET', '/v1/phone-numbers/P7/balance', { token })).body;
    expect([p5.state, p7.state]).toEqual(['negative', 'zero']);
    const date = (iso: string) =>
      new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

    const breakdown = page.locator('ci-balance-breakdown');
    await breakdown.locator('li[data-phone=P5] [data-testid=ran-out]').waitFor();
    for (const [id, b] of [
      ['P5', p5],
      ['P7', p7],
    ] as const) {
      const notice = await breakdown.locator(`li[data-phone=${id}] [data-testid=ran-out]`).innerText();
      expect(notice).toContain(`Ran out on ${date(b.ran_out_at)}: paid messages are blocked.`);
      expect(notice).toContain('Add funds');
    }
    expect(await breakdown.locator('li[data-phone=P1] [data-testid=ran-out]').count()).toBe(0);

    const table = page.locator('ci-funds-table');
    await table.locator('tr[data-state-of=P5] [data-testid=ran-out]').waitFor();
    expect(await table.locator('tr[data-state-of=P5]').innerText()).toContain(
      `Ran out on ${date(p5.ran_out_at)}`,
    );
    expect(await table.locator('tr[data-state-of=P7]').innerText()).toContain(
      `Ran out on ${date(p7.ran_out_at)}`,
    );
    expect(await table.locator('tr[data-state-of=P1]').count()).toBe(0);

    const runway = page.locator('ci-runway-card');
    await runway.locator('[data-testid=ran-out]').waitFor();
    expect(await runway.locator('[data-testid=scope]').innerText()).toBe('Number: Promo');
    expect(await runway.locator('[data-testid=ran-out]').innerText()).toContain(
      `Ran out on ${date(p5.ran_out_at)}: paid messages are blocked. Add funds to send them again.`,
    );
    expect(await runway.locator('[data-testid=balance]').innerText()).toBe(usd(p5.balance));
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/balance-ran-out.png`, fullPage: true });

    // The runway's action asks the page to add funds to P5: the wizard on the page opens its amount step.
    await runway.locator('[data-testid=ran-out] button').click();
    const wizard = page.locator('ci-add-funds');
    await wizard.locator('input#amount').waitFor();
    await expect
      .poll(() => wizard.locator('[data-testid=ran-out]').innerText())
      .toContain(`Ran out on ${date(p5.ran_out_at)}`);

    // Narrow: "-$2.50" stays on one line wherever it shows.
    await page.setViewportSize({ width: 320, height: 900 });
    for (const sel of [
      'ci-balance-breakdown li[data-phone=P5] [data-testid=balance]',
      'ci-runway-card [data-testid=balance]',
      'ci-funds-table tr[data-phone=P5] [data-testid=balance]',
    ]) {
      const el = page.locator(sel);
      expect(await el.innerText()).toBe(usd(p5.balance));
      const lines = await el.evaluate((e) => {
        const r = document.createRange();
        r.selectNodeContents(e);
        return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
      });
      expect(lines, sel).toBe(1);
    }
    await page.screenshot({ path: `${SCREENSHOTS}/balance-ran-out-320.png`, fullPage: true });
    await page.close();
  });

  it('charts and cards say "data up to …" when the data is more than a day old, and not when it is fresh', async () => {
    const all = (await f.h.json('GET', '/v1/balances', { token })).body.data_through as string;
    const p1 = (await f.h.json('GET', '/v1/phone-numbers/P1/balance', { token })).body.data_through as string;
    expect(Date.parse(p1)).toBeLessThanOrEqual(Date.parse(all));
    const text = (iso: string) =>
      `Data up to ${new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))}: newer messages have not arrived yet.`;
    // P1's widgets show P1's latest unit; the breakdown and the funds table the latest of every number.
    const expected: Record<string, string> = {
      'ci-usage-chart': text(p1),
      'ci-charges-chart': text(p1),
      'ci-runway-card': text(p1),
      'ci-balance-breakdown': text(all),
      'ci-funds-table': text(all),
    };
    const widgets = Object.keys(expected).join(',');
    const attrs = { 'phone-number-id': 'P1', currency: 'USD' };
    const stale = await open(widgets, attrs);
    for (const [tag, want] of Object.entries(expected)) {
      await stale.locator(`${tag} [data-testid=freshness]`).waitFor();
      expect(await stale.locator(`${tag} [data-testid=freshness]`).innerText(), tag).toBe(want);
    }
    expect(await seriousViolations(stale)).toEqual([]);
    await stale.screenshot({ path: `${SCREENSHOTS}/data-up-to.png`, fullPage: true });
    await stale.close();

    // Twelve hours after P1's latest unit (and before every later one): nothing to say.
    const fresh = await open(widgets, attrs, new Date(Date.parse(p1) + 43_200_000));
    await fresh.locator('ci-usage-chart[data-chart-drawn]').waitFor();
    await fresh.locator('ci-charges-chart[data-chart-drawn]').waitFor();
    await fresh.locator('ci-balance-breakdown [data-testid=total]').waitFor();
    await fresh.locator('ci-runway-card [data-testid=p50]').waitFor();
    await fresh.locator('ci-funds-table [data-testid=balance]').first().waitFor();
    for (const tag of Object.keys(expected))
      expect(await fresh.locator(`${tag} [data-testid=freshness]`).count(), tag).toBe(0);
    await fresh.close();
  });
});
