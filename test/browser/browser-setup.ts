/**
 * Browser-test fixture: the real app on a loopback port (serving widgets/dist), a small deterministic data set
 * seeded through the derivation contract, and Debian's Chromium driven by playwright-core.
 */
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { normalizeConfig } from '../../worker/config.js';
import { settleDueTopUps } from '../../worker/funding/settle-due.js';
import { createHarness, type Harness } from '../helpers/harness.js';

export const WIDGETS_DIST = resolve('widgets/dist');
export const SCREENSHOTS = resolve('test-results');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SETTLEMENT_MS = 600_000;
const ENV = { SETTLEMENT_DELAY_MS: String(SETTLEMENT_MS) };

export interface BrowserFixture {
  readonly h: Harness;
  readonly url: string;
  readonly key: string;
  readonly context: BrowserContext;
  /** Mints an embed token with the partner key. */
  mint(body?: { phone_number_ids?: string[]; scopes?: string[]; ttl_seconds?: number }): Promise<string>;
  /** Opens the sandbox page with the given widgets and attributes. */
  open(widgets: string, token: string, attrs?: Record<string, string>): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Chromium with a throw-away profile and no network side traffic. */
export async function launchChromium(): Promise<{ context: BrowserContext; dispose(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  const dir = await mkdtemp(join(tmpdir(), 'ci-chromium-'));
  process.env.XDG_CONFIG_HOME = join(dir, 'config');
  process.env.XDG_CACHE_HOME = join(dir, 'cache');
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async dispose() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Five months of CBP conversations (NDJSON for POST /v1/ingest): P1 4+m marketing (paid) and 3 service (free
 * within the free tier) in month m, P2 2 utility (paid).
 */
function demoUnitsNdjson(): string {
  const lines: string[] = [];
  const add = (phone: string, category: string, n: number, start: string, prefix: string) => {
    for (let i = 0; i < n; i++) {
      lines.push(
        JSON.stringify({
          unit_id: `${prefix}-${i}`,
          pricing_model: 'CBP',
          unit: 'conversation',
          waba_id: 'W1',
          phone_number_id: phone,
          recipient_wa_id: '15550001111',
          recipient_country: 'US',
          market: 'North America',
          category,
          status_final: 'delivered',
          opened_at: new Date(Date.parse(start) + i * 60_000).toISOString(),
        }),
      );
    }
  };
  for (let m = 1; m <= 5; m++) {
    add('P1', 'marketing', 4 + m, `2025-0${m}-03T10:00:00Z`, `p1m${m}`);
    add('P1', 'service', 3, `2025-0${m}-05T10:00:00Z`, `p1s${m}`);
    add('P2', 'utility', 2, `2025-0${m}-07T10:00:00Z`, `p2u${m}`);
  }
  return lines.join('\n') + '\n';
}

/** Builds the fixture: partner acme (W1: P1 "Sales", P2 "Support"), partner globex (P3). */
export async function createBrowserFixture(): Promise<BrowserFixture> {
  if (!existsSync(join(WIDGETS_DIST, 'widgets.js'))) throw new Error('run npm run build:widgets first');
  await mkdir(SCREENSHOTS, { recursive: true });
  const h = await createHarness({ now: '2025-06-10T12:00:00Z', env: ENV });
  const key = await h.partner('acme');
  const other = await h.partner('globex');
  await h.waba(key, { waba_id: 'W1', timezone: 'UTC', currency: 'USD' }, ['P1', 'P2']);
  await h.waba(other, { waba_id: 'W9', timezone: 'UTC', currency: 'USD' }, ['P3']);
  await h.json('PATCH', '/v1/phone-numbers/P1', { token: key, body: { label: 'Sales' } });
  await h.json('PATCH', '/v1/phone-numbers/P2', { token: key, body: { label: 'Support' } });
  const ingest = await h.call('POST', '/v1/ingest', {
    token: key,
    body: demoUnitsNdjson(),
    headers: { 'content-type': 'application/x-ndjson' },
  });
  if (ingest.status !== 200) throw new Error(`ingest failed (${ingest.status}): ${await ingest.text()}`);
  // Settled opening balances (bank transfer: no fee), so the balance donut has positive shares to draw.
  for (const [phone, amount] of [
    ['P1', '60'],
    ['P2', '25'],
  ] as const) {
    const q = await h.json('POST', `/v1/phone-numbers/${phone}/funds/quotes`, {
      token: key,
      body: { mode: 'one_time', amount, payment_method: 'bank_transfer' },
    });
    const t = await h.json('POST', `/v1/phone-numbers/${phone}/funds`, {
      token: key,
      body: { quote_id: q.body.quote_id },
      headers: { 'idempotency-key': `seed-${phone}` },
    });
    if (t.status !== 202) throw new Error(`top-up failed: ${JSON.stringify(t.body)}`);
  }
  h.clock.advance(SETTLEMENT_MS);
  const jobConfig = normalizeConfig(ENV);
  await settleDueTopUps({
    db: h.db,
    money: h.money,
    config: jobConfig,
    domain: domainContextOf({ clock: h.clock, config: jobConfig }),
  });
  const server = await h.listen({ staticDir: WIDGETS_DIST });
  const browser = await launchChromium();
  return {
    h,
    url: server.url,
    key,
    context: browser.context,
    async mint(body = {}) {
      const r = await h.json('POST', '/v1/embed-tokens', {
        token: key,
        body: {
          phone_number_ids: ['P1', 'P2'],
          scopes: ['read-usage', 'read-balance', 'add-funds'],
          ...body,
        },
      });
      if (r.status !== 201) throw new Error(`mint failed: ${JSON.stringify(r.body)}`);
      return r.body.token as string;
    },
    async open(widgets, token, attrs = {}) {
      const page = await browser.context.newPage();
      page.on('pageerror', (err) => console.error('[pageerror]', err.message));
      const qs = new URLSearchParams({ widgets, token, ...attrs });
      await page.goto(`${server.url}/sandbox.html?${qs}`);
      return page;
    },
    async close() {
      await browser.dispose();
      await server.close();
      await h.close();
    },
  };
}

/** Runs axe-core on the page and returns the serious and critical violations. */
export async function seriousViolations(
  page: Page,
): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  await page.addScriptTag({ path: resolve('node_modules/axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: unknown }[] }[] }>;
        };
      }
    ).axe;
    const r = await axe.run(document);
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
}
