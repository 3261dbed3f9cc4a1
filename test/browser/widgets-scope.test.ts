import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, seriousViolations, type BrowserFixture } from './browser-setup.js';
import { createScopeFixture, usd, type ScopeFixture } from './scope-setup.js';

describe('widgets in Chromium: the number or WABA shown, the currency on the axis, the running month', () => {
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
});
