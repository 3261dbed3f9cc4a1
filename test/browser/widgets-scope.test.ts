import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, seriousViolations, type BrowserFixture } from './browser-setup.js';
import { chargeDay, createJourneyFixture, settledTopUp } from './journey-setup.js';

const NUMBERS = ['P1', 'P2', 'P4', 'P5', 'P7', 'P8'];

/** Marketing conversations of P8 (W3): four a month from March, and two so far in the running month (June). */
function unitsOfP8(): string {
  const days = ['2025-03-04', '2025-04-04', '2025-05-04', '2025-06-02', '2025-06-08'];
  return days
    .flatMap((day, d) =>
      Array.from({ length: day.startsWith('2025-06') ? 1 : 4 }, (_, i) =>
        JSON.stringify({
          unit_id: `p8-${d}-${i}`,
          pricing_model: 'CBP',
          unit: 'conversation',
          waba_id: 'W3',
          phone_number_id: 'P8',
          recipient_wa_id: '15550002222',
          recipient_country: 'US',
          market: 'North America',
          category: 'marketing',
          status_final: 'delivered',
          opened_at: `${day}T09:0${i}:00.000Z`,
        }),
      ),
    )
    .join('\n');
}
const usd = (v: string | number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(v));

describe('widgets in Chromium: scope, currencies, partial month, balance states, freshness', () => {
  let f: BrowserFixture;
  let token: string;
  /** Opens the sandbox with the browser's clock at `now` (the service's own clock unless given). */
  async function open(widgets: string, attrs: Record<string, string> = {}, now?: Date): Promise<Page> {
    const page = await f.context.newPage();
    page.on('pageerror', (err) => console.error('[pageerror]', err.message));
    await page.clock.setFixedTime(now ?? f.h.clock.now());
    await page.goto(
      `${f.url}/sandbox.html?${new URLSearchParams({ widgets, token, locale: 'en-US', ...attrs })}`,
    );
    return page;
  }

  beforeAll(async () => {
    f = await createJourneyFixture();
    await f.h.json('PATCH', '/v1/wabas/W1', { token: f.key, body: { name: 'Acme US' } });
    await f.h.json('PATCH', '/v1/wabas/W2', { token: f.key, body: { name: 'Acme India' } });
    // P7 (W1): funded with 1.00, then charged exactly 1.00: a balance of zero that ran out.
    await f.h.json('POST', '/v1/phone-numbers', {
      token: f.key,
      body: { phone_number_id: 'P7', waba_id: 'W1' },
    });
    await f.h.json('PATCH', '/v1/phone-numbers/P7', { token: f.key, body: { label: 'Zero' } });
    await settledTopUp(f, 'P7', '1.00');
    f.h.clock.advance(3_600_000);
    await chargeDay(f, 'W1', 'P7', f.h.clock.now().toISOString().slice(0, 10), '1.00');
    // W3 (USD): P8, funded, with units up to the running month (its own WABA: W1's fixture rows stay as they are).
    await f.h.waba(f.key, { waba_id: 'W3', timezone: 'UTC', currency: 'USD', name: 'Acme EU' }, ['P8']);
    await f.h.json('PATCH', '/v1/phone-numbers/P8', { token: f.key, body: { label: 'Growth' } });
    await settledTopUp(f, 'P8', '100');
    const ingest = await f.h.call('POST', '/v1/ingest', {
      token: f.key,
      body: `${unitsOfP8()}\n`,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    if (ingest.status !== 200) throw new Error(`ingest failed: ${await ingest.text()}`);
    token = await f.mint({ phone_number_ids: NUMBERS });
  });
  afterAll(() => f?.close());

  it('the charges chart names its number, switches among the visible ones and puts the currency on the axis', async () => {
    const page = await open('ci-charges-chart', { 'phone-number-id': 'P1' });
    const chart = page.locator('ci-charges-chart');
    await page.waitForSelector('ci-charges-chart[data-chart-drawn]');
    expect(await chart.locator('[data-testid=scope]').innerText()).toBe('Number: Sales');
    const options = await chart
      .locator('select[data-testid=scope-select] option')
      .evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent!.trim()]));
    expect(options).toEqual([
      ['phone:P1', 'Sales'],
      ['phone:P2', 'Support'],
      ['phone:P4', 'Mumbai'],
      ['phone:P5', 'Promo'],
      ['phone:P7', 'Zero'],
      ['phone:P8', 'Growth'],
      ['waba:W1', 'Acme US (all numbers)'],
    ]);
    expect(await chart.locator('svg').first().textContent()).toContain('Charges (USD, estimate)');
    expect(await seriousViolations(page)).toEqual([]);

    // The INR number: the scope line, the axis and the money follow it.
    await chart.locator('select[data-testid=scope-select]').selectOption('phone:P4');
    await expect.poll(() => chart.locator('[data-testid=scope]').innerText()).toBe('Number: Mumbai');
    await expect.poll(() => chart.locator('svg').first().textContent()).toContain('Charges (INR, estimate)');

    // The whole WABA: the forecast the service gives for W1.
    await chart.locator('select[data-testid=scope-select]').selectOption('waba:W1');
    await expect
      .poll(() => chart.locator('[data-testid=scope]').innerText())
      .toBe('WABA: Acme US (all numbers)');
    const w1 = await f.h.json('GET', '/v1/forecasts/charges?waba_id=W1&horizon=6&level=80,95', { token });
    await expect
      .poll(() => chart.locator('[data-testid=summary]').innerText())
      .toContain(usd(w1.body.forecast[0].mean));
    await page.screenshot({ path: `${SCREENSHOTS}/charges-scope-waba.png`, fullPage: true });
    await page.close();
  });

  it('the running month is drawn as partial: lighter, outlined, "partial month, up to …"', async () => {
    const page = await open('ci-charges-chart', { 'phone-number-id': 'P8' });
    const chart = page.locator('ci-charges-chart');
    await page.waitForSelector('ci-charges-chart[data-chart-drawn]');
    const api = await f.h.json('GET', '/v1/forecasts/charges?phone_number_id=P8&horizon=6&level=80,95', {
      token,
    });
    const month = api.body.forecast[0].period as string;
    const soFar = await f.h.json(
      'GET',
      `/v1/charges?phone_number_id=P8&granularity=month&from=${month}&to=${month}`,
      {
        token,
      },
    );
    const partial = soFar.body.rows.reduce((s: number, r: { amount: string }) => s + Number(r.amount), 0);
    expect(partial).toBeGreaterThan(0);
    const bars = chart.locator('.mark-rect path');
    expect(await bars.count()).toBe(api.body.history.length + 1);
    const looks = await bars.evaluateAll((ps) =>
      ps.map((p) => ({
        opacity: p.getAttribute('fill-opacity'),
        dash: p.getAttribute('stroke-dasharray'),
        label: p.getAttribute('aria-label') ?? '',
      })),
    );
    const partials = looks.filter((l) => l.label.includes('Partial month, up to'));
    expect(partials).toHaveLength(1);
    expect(Number(partials[0]!.opacity)).toBeLessThan(1);
    expect(partials[0]!.dash).toBe('4,3');
    expect(looks.filter((l) => l !== partials[0]).every((l) => Number(l.opacity ?? 1) === 1)).toBe(true);
    expect(await chart.locator('[data-testid=partial-note]').innerText()).toMatch(
      /^Partial month, up to Jun \d+, 2025$/,
    );
    expect(await chart.locator('[data-testid=summary]').innerText()).toContain(
      `So far in Jun 2025 (partial month, up to`,
    );
    expect(await chart.locator('[data-testid=summary]').innerText()).toContain(usd(partial));
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/charges-partial-month.png`, fullPage: true });
    await page.close();
  });

  it('the usage chart draws its running month as partial too', async () => {
    const page = await open('ci-usage-chart', { 'phone-number-id': 'P8' });
    const chart = page.locator('ci-usage-chart');
    await page.waitForSelector('ci-usage-chart[data-chart-drawn]');
    const bars = await chart.locator('.mark-rect path').evaluateAll((ps) =>
      ps.map((p) => ({
        opacity: Number(p.getAttribute('fill-opacity') ?? 1),
        label: p.getAttribute('aria-label') ?? '',
      })),
    );
    const june = bars.filter((b) => b.label.includes('Jun 2025'));
    expect(june.length).toBeGreaterThan(0);
    for (const b of june) {
      expect(b.label).toContain('Partial month, up to Jun 8, 2025');
      expect(b.opacity).toBeLessThan(1);
    }
    expect(bars.filter((b) => !b.label.includes('Jun 2025')).every((b) => b.opacity === 1)).toBe(true);
    expect(await chart.locator('[data-testid=partial-note]').innerText()).toBe(
      'Partial month, up to Jun 8, 2025',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/usage-partial-month.png`, fullPage: true });
    await page.close();
  });

  it('a label edited elsewhere renames the number in the scope line and the selector', async () => {
    const page = await open('ci-charges-chart,ci-runway-card', { 'phone-number-id': 'P1' });
    await page.locator('ci-runway-card [data-testid=scope]').waitFor();
    await page.locator('ci-charges-chart [data-testid=scope]').waitFor();
    await page.evaluate(() =>
      document.dispatchEvent(
        new CustomEvent('ci-label-changed', { detail: { phone_number_id: 'P1', label: 'Ventas' } }),
      ),
    );
    for (const tag of ['ci-charges-chart', 'ci-runway-card']) {
      await expect.poll(() => page.locator(`${tag} [data-testid=scope]`).innerText()).toBe('Number: Ventas');
      expect(
        await page.locator(`${tag} select[data-testid=scope-select] option[value="phone:P1"]`).innerText(),
      ).toBe('Ventas');
    }
    await page.close();
  });

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
