import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBrowserFixture,
  SCREENSHOTS,
  seriousViolations,
  type BrowserFixture,
} from './browser-setup.js';

describe('widgets in Chromium: rendering, numbers, filters, accessibility', () => {
  let f: BrowserFixture;
  let token: string;
  beforeAll(async () => {
    f = await createBrowserFixture();
    token = await f.mint();
  });
  afterAll(() => f?.close());

  it('ci-usage-chart draws bars whose totals match /v1/usage, and the toggle and filter change it', async () => {
    const page = await f.open('ci-usage-chart', token, { locale: 'en-US' });
    await page.waitForSelector('ci-usage-chart[data-chart-drawn]');
    const api = await f.h.json('GET', '/v1/usage?granularity=month', { token });
    expect(api.status).toBe(200);
    const byPeriod = new Map<string, { free: number; paid: number }>();
    for (const r of api.body.rows as { period: string; free: number; paid: number }[]) {
      const p = byPeriod.get(r.period) ?? { free: 0, paid: 0 };
      byPeriod.set(r.period, { free: p.free + r.free, paid: p.paid + r.paid });
    }
    const nonZero = [...byPeriod.values()].reduce(
      (s, p) => s + (p.free > 0 ? 1 : 0) + (p.paid > 0 ? 1 : 0),
      0,
    );
    const bars = page.locator('ci-usage-chart .mark-rect path');
    expect(await bars.count()).toBeGreaterThanOrEqual(nonZero);
    const paidTotal = [...byPeriod.values()].reduce((s, p) => s + p.paid, 0);
    const freeTotal = [...byPeriod.values()].reduce((s, p) => s + p.free, 0);
    const summary = await page.locator('ci-usage-chart [data-testid=summary]').textContent();
    expect(summary).toContain(`${freeTotal} free`);
    expect(summary).toContain(`${paidTotal} paid`);
    // Conversations only in this range (all CBP): one panel, labelled with its unit.
    const panelLabels = await page.locator('ci-usage-chart svg text').allTextContents();
    expect(panelLabels).toContain('Conversations');
    expect(panelLabels).not.toContain('Messages');
    await page.screenshot({ path: `${SCREENSHOTS}/usage-chart.png`, fullPage: true });

    // Paid only: every visible bar is a paid bar, and the summary counts paid units only.
    const before = await bars.count();
    await page.locator('ci-usage-chart button[data-mode=paid]').click();
    await page.waitForFunction(() =>
      document
        .querySelector('ci-usage-chart')!
        .shadowRoot!.querySelector('[data-testid=summary]')!
        .textContent!.includes('paid conversations'),
    );
    await expect.poll(() => bars.count()).toBeLessThan(before);
    expect(await page.locator('ci-usage-chart [data-testid=summary]').textContent()).toMatch(
      new RegExp(`^\\s*${paidTotal} paid conversations`),
    );

    // Filter to P2 (Support): only its utility units remain.
    await page.locator('ci-usage-chart button[data-mode=all]').click();
    await page.locator('ci-usage-chart select#phone').selectOption('P2');
    const p2 = await f.h.json('GET', '/v1/usage?granularity=month&phone_number_id=P2', { token });
    const p2All = (p2.body.rows as { all: number }[]).reduce((s, r) => s + r.all, 0);
    await expect
      .poll(() => page.locator('ci-usage-chart [data-testid=summary]').textContent())
      .toMatch(new RegExp(`^\\s*${p2All} conversations`));
    await page.screenshot({ path: `${SCREENSHOTS}/usage-chart-p2.png`, fullPage: true });

    // Daily: P2's two utility units per month land on one day each, so five daily bars (vs five monthly).
    await page.locator('ci-usage-chart select#granularity').selectOption('day');
    await expect
      .poll(() => page.locator('ci-usage-chart [data-testid=summary]').textContent())
      .toMatch(/from 7 Jan|from Jan 7/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('ci-usage-chart controls are keyboard reachable and the chart follows its container width', async () => {
    const page = await f.open('ci-usage-chart', token, { locale: 'en-US' });
    await page.waitForSelector('ci-usage-chart[data-chart-drawn]');
    const focused = () =>
      page.evaluate(() =>
        document.querySelector('ci-usage-chart')!.shadowRoot!.activeElement?.textContent?.trim(),
      );
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('All');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Paid');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('ci-usage-chart [data-testid=summary]').textContent())
      .toContain('paid conversations');

    const svgWidth = () =>
      page
        .locator('ci-usage-chart svg')
        .first()
        .evaluate((el) => el.getBoundingClientRect().width);
    const wide = await svgWidth();
    await page.setViewportSize({ width: 520, height: 900 });
    await expect.poll(svgWidth).toBeLessThan(wide - 200);
    await page.screenshot({ path: `${SCREENSHOTS}/usage-chart-narrow.png`, fullPage: true });

    // Moving the element in the DOM (as frameworks do) redraws its chart.
    await page.evaluate(() => {
      const el = document.querySelector('ci-usage-chart')!;
      el.parentElement!.append(document.createElement('div'));
      el.parentElement!.lastElementChild!.append(el);
    });
    await page.waitForSelector('ci-usage-chart[data-chart-drawn]');
    expect(await page.locator('ci-usage-chart svg').count()).toBe(1);
    expect(await page.locator('ci-usage-chart .mark-rect path').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('charts take their colours from the CSS custom properties, parts are styleable', async () => {
    const page = await f.context.newPage();
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const s = document.createElement('style');
        s.textContent =
          'ci-usage-chart { --ci-color-paid: #8a1538; } ci-usage-chart::part(heading) { color: rgb(10, 90, 40); }';
        document.head.append(s);
      });
    });
    const qs = new URLSearchParams({ widgets: 'ci-usage-chart', token });
    await page.goto(`${f.url}/sandbox.html?${qs}`);
    await page.waitForSelector('ci-usage-chart[data-chart-drawn]');
    const fills = await page
      .locator('ci-usage-chart .mark-rect path')
      .evaluateAll((els) => els.map((e) => e.getAttribute('fill')));
    expect(fills).toContain('#8a1538');
    const heading = await page.locator('ci-usage-chart h2').evaluate((e) => getComputedStyle(e).color);
    expect(heading).toBe('rgb(10, 90, 40)');
    await page.close();
  });

  it('ci-charges-chart draws one bar per actual month and the forecast line, with the API figures', async () => {
    const page = await f.open('ci-charges-chart', token, { locale: 'en-US', 'phone-number-id': 'P1' });
    await page.waitForSelector('ci-charges-chart[data-chart-drawn]');
    const api = await f.h.json('GET', '/v1/forecasts/charges?phone_number_id=P1&horizon=6&level=80,95', {
      token,
    });
    expect(api.status).toBe(200);
    const history = api.body.history as { period: string; value: string }[];
    const forecast = api.body.forecast as { mean: string }[];
    expect(await page.locator('ci-charges-chart .mark-rect path').count()).toBe(history.length);
    expect(await page.locator('ci-charges-chart .mark-line path').count()).toBe(1);
    expect(await page.locator('ci-charges-chart .mark-area path').count()).toBe(1);
    const money = (v: string) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: api.body.currency }).format(Number(v));
    const summary = await page.locator('ci-charges-chart [data-testid=summary]').textContent();
    expect(summary).toContain(money(history[history.length - 1]!.value));
    expect(summary).toContain(money(forecast[0]!.mean));
    expect(summary).toContain('estimates');
    expect(await page.locator('ci-charges-chart [part=badge]').textContent()).toBe('Estimate');
    await page.screenshot({ path: `${SCREENSHOTS}/charges-chart.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('ci-balance-breakdown, ci-funds-table and ci-runway-card show the API numbers', async () => {
    const page = await f.open('ci-balance-breakdown,ci-funds-table,ci-runway-card', token, {
      locale: 'en-US',
      'phone-number-id': 'P1',
    });
    const balances = await f.h.json('GET', '/v1/balances', { token });
    expect(balances.status).toBe(200);
    const fmt = (v: string) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(v));
    await page.waitForSelector('ci-funds-table [data-testid=balance]');
    const shown = await page.locator('ci-funds-table [data-testid=balance]').allTextContents();
    expect(shown).toEqual((balances.body.numbers as { balance: string }[]).map((n) => fmt(n.balance)));
    await page.waitForSelector('ci-balance-breakdown[data-chart-drawn]');
    expect(await page.locator('ci-balance-breakdown .mark-arc path').count()).toBe(
      balances.body.numbers.length,
    );
    expect(await page.locator('ci-balance-breakdown [data-testid=total]').textContent()).toBe(
      fmt(balances.body.totals[0].balance),
    );
    const runway = await f.h.json('GET', '/v1/phone-numbers/P1/runway', { token });
    expect(runway.status).toBe(200);
    const date = (v: string | null, none: string) =>
      v
        ? new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
            new Date(`${v}T00:00:00Z`),
          )
        : none;
    const p50 = runway.body.runs_out.without_renewal.p50 as string | null;
    await page.waitForSelector('ci-runway-card [data-testid=p50]');
    expect(await page.locator('ci-runway-card [data-testid=p50]').textContent()).toBe(
      date(p50, 'Beyond the forecast horizon'),
    );
    expect(await page.locator('ci-runway-card [data-testid=balance]').textContent()).toBe(
      fmt(runway.body.balance),
    );
    await expect
      .poll(() => page.locator('ci-funds-table tr[data-phone=P1] [data-testid=runway]').textContent())
      .toContain(date(p50, 'Beyond horizon'));
    await page.screenshot({ path: `${SCREENSHOTS}/balances-funds-runway.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('formats numbers, money and dates with Intl in the locale attribute', async () => {
    const page = await f.open('ci-balance-breakdown,ci-usage-chart', token, { locale: 'de-DE' });
    const balances = await f.h.json('GET', '/v1/balances', { token });
    const total = balances.body.totals[0].balance as string;
    await page.waitForSelector('ci-balance-breakdown [data-testid=total]');
    expect(await page.locator('ci-balance-breakdown [data-testid=total]').textContent()).toBe(
      new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'USD' }).format(Number(total)),
    );
    await page.waitForSelector('ci-usage-chart[data-chart-drawn]');
    expect(await page.locator('ci-usage-chart [data-testid=summary]').textContent()).toContain('Jan. 2025');
    await page.close();
  });

  it('the demo portal page renders every widget without serious accessibility violations', async () => {
    const page = await f.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${f.url}/index.html?phone-number-id=P1&token=${encodeURIComponent(token)}`);
    await page.waitForSelector('ci-usage-chart[data-chart-drawn]');
    await page.waitForSelector('ci-funds-table table');
    await page.waitForSelector('ci-charges-chart[data-chart-drawn]');
    await page.waitForSelector('ci-balance-breakdown[data-chart-drawn]');
    await page.screenshot({ path: `${SCREENSHOTS}/portal.png`, fullPage: true });
    // Every chart drew with the trimmed Vega build, and nothing logged an error.
    expect(errors).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${f.url}/embedding.html`);
    await page.screenshot({ path: `${SCREENSHOTS}/embedding-guide.png`, fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
