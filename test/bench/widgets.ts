/**
 * `npm run bench:widgets`: builds the widgets, prints gzip sizes per output file and per page scenario (against
 * the budgets), then measures in Chromium the time from navigation to the first chart drawn, against a baseline
 * measured in the same run (navigation to a blank page on the same server). Cache disabled: every run is cold.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { buildWidgets, DIST } from '../../widgets/build/build-widgets.js';
import { createBrowserFixture, launchChromium } from '../browser/browser-setup.js';

const EVERY_WIDGET =
  'ci-usage-chart,ci-charges-chart,ci-balance-breakdown,ci-funds-table,ci-add-funds,ci-auto-renewal,ci-runway-card';
const RUNS = Number(process.env.RUNS ?? 7);
const KB = 1024;
const BUDGET_ALL = 200 * KB;
const BUDGET_LIGHT = 30 * KB;

const gz = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const kb = (n: number) => `${(n / KB).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const meta = await buildWidgets({ quiet: true });
const outputs = Object.entries(meta.outputs)
  .filter(([f]) => f.endsWith('.js'))
  .map(([f, o]) => ({
    file: f.slice(f.indexOf('widgets/dist/') + 'widgets/dist/'.length),
    language: /\/src\/locales\/([\w-]+)\.ts$/.exec(o.entryPoint ?? '')?.[1] ?? null,
  }));
console.log('gzip size per output (level 9)');
for (const { file } of outputs) console.log(`  ${file.padEnd(44)} ${kb(gz(file)).padStart(9)}`);
// A page loads the entry, the shared chunks and the chart runtime, plus the one language it shows (languages
// are loaded on demand): the budget counts everything but the languages, and the largest language.
const code = outputs.filter((o) => o.language === null).reduce((s, o) => s + gz(o.file), 0);
const languages = outputs
  .filter((o) => o.language !== null)
  .map((o) => ({ language: o.language!, size: gz(o.file) }))
  .sort((a, b) => b.size - a.size);
console.log('\nlanguage chunks (each loaded only by a page in that language; English is in the entry)');
for (const l of languages) console.log(`  ${l.language.padEnd(44)} ${kb(l.size).padStart(9)}`);
const largest = languages[0]?.size ?? 0;
const total = code + largest;
console.log(
  `  ${'every language together'.padEnd(44)} ${kb(languages.reduce((s, l) => s + l.size, 0)).padStart(9)}`,
);
console.log(`\n  ${'all widgets, without language chunks'.padEnd(44)} ${kb(code).padStart(9)}`);
console.log(
  `  ${`all widgets + largest language (${languages[0]?.language ?? 'none'})`.padEnd(44)} ${kb(total).padStart(9)}  budget ${kb(BUDGET_ALL)}  ${total <= BUDGET_ALL ? 'OK' : 'OVER'}`,
);

// BENCH_URL=http://127.0.0.1:8787 measures a running `npm start` (demo data, DEMO-ONLY token route) instead
// of the small seeded fixture.
const target = process.env.BENCH_URL;
const fixture = target ? null : await createBrowserFixture();
const f = fixture ?? (await externalTarget(target!));
try {
  const token = fixture ? await fixture.mint() : await demoToken(target!);
  console.log(`\nserver: ${target ?? 'test fixture (2 numbers, 5 months)'}`);

  /** Loads a page with the cache off and returns the JS files it fetched and a timing read from the page. */
  async function visit(
    path: string,
    until: (p: Page) => Promise<number>,
  ): Promise<{ js: string[]; ms: number }> {
    const page = await f.context.newPage();
    const cdp = await f.context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const js: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.endsWith('.js') && !u.pathname.endsWith('portal.js')) js.push(u.pathname.slice(1));
    });
    await page.addInitScript(() => {
      document.addEventListener('ci-chart-drawn', () => {
        (window as unknown as { __firstChart?: number }).__firstChart ??= performance.now();
      });
    });
    await page.goto(`${f.url}/${path}`);
    const ms = await until(page);
    await page.close();
    return { js, ms };
  }

  const q = (widgets: string, attrs: Record<string, string> = {}) =>
    `sandbox.html?${new URLSearchParams({ widgets, token, ...attrs })}`;
  const chart = (p: Page) =>
    p
      .waitForFunction(() => (window as unknown as { __firstChart?: number }).__firstChart)
      .then((h) => h.jsonValue() as Promise<number>);
  const loaded = (p: Page) =>
    p
      .waitForFunction(() => document.readyState === 'complete' && performance.now())
      .then(() =>
        p.evaluate(() => performance.getEntriesByType('navigation')[0]!.toJSON().loadEventEnd as number),
      );
  const ready = (sel: string) => (p: Page) =>
    p.waitForSelector(sel).then(() => p.evaluate(() => performance.now()));

  console.log('\npage scenarios (JS actually requested by Chromium, gzip)');
  const scenarios: [string, string, (p: Page) => Promise<number>, number][] = [
    ['chart page (ci-usage-chart)', q('ci-usage-chart'), chart, BUDGET_ALL],
    ['table-only page (ci-funds-table)', q('ci-funds-table'), ready('ci-funds-table table'), BUDGET_LIGHT],
    ['wizard-only page (ci-add-funds)', q('ci-add-funds'), ready('ci-add-funds select#number'), BUDGET_LIGHT],
    ['demo portal (every widget)', `index.html?token=${encodeURIComponent(token)}`, chart, BUDGET_ALL],
    ['every widget in hi-IN (largest language)', q(EVERY_WIDGET, { locale: 'hi-IN' }), chart, BUDGET_ALL],
  ];
  for (const [name, path, until, budget] of scenarios) {
    const { js } = await visit(path, until);
    const size = [...new Set(js)].reduce((s, file) => s + gz(file), 0);
    const vega = js.some((file) => file.includes('chart-runtime'));
    console.log(
      `  ${name.padEnd(42)} ${kb(size).padStart(9)}  budget ${kb(budget)}  ${size <= budget ? 'OK' : 'OVER'}  vega ${vega ? 'loaded' : 'not loaded'}`,
    );
  }

  console.log(`\ntime from navigation to first chart drawn, cold cache, median of ${RUNS}`);
  const base: number[] = [];
  const first: number[] = [];
  const light: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    base.push((await visit('blank.html', loaded)).ms);
    first.push((await visit(q('ci-usage-chart'), chart)).ms);
    light.push((await visit(q('ci-funds-table'), ready('ci-funds-table table'))).ms);
  }
  const b = median(base);
  const c = median(first);
  const t = median(light);
  console.log(`  baseline: blank page loaded            ${b.toFixed(0).padStart(6)} ms`);
  console.log(
    `  usage chart drawn (fetch + Vega chunk) ${c.toFixed(0).padStart(6)} ms  ${(c / b).toFixed(1)}x baseline  target 1000 ms ${c <= 1000 ? 'OK' : 'OVER'}`,
  );
  console.log(
    `  funds table rendered (no Vega)         ${t.toFixed(0).padStart(6)} ms  ${(t / b).toFixed(1)}x baseline`,
  );
} finally {
  await f.close();
}

async function demoToken(url: string): Promise<string> {
  const res = await fetch(`${url}/demo/embed-token`);
  if (!res.ok)
    throw new Error(`${url}/demo/embed-token answered ${res.status} (started with npm start, in demo mode?)`);
  return ((await res.json()) as { token: string }).token;
}

async function externalTarget(url: string) {
  const browser = await launchChromium();
  return { url, context: browser.context, close: () => browser.dispose() };
}
