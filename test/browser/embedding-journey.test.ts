/**
 * The embedding guide, followed word for word from another origin: the real service in demo mode (what
 * `npm start` runs, with its published demo data) on one loopback port, the guide's partner back end and page
 * (copied out of /embedding.html) on a second, the same partner page on a third port whose origin was never
 * allowed. Every step runs the guide's own snippet; only the placeholders are filled in, as the guide says.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../adversarial/server-process.js';
import { launchChromium, SCREENSHOTS, seriousViolations } from './browser-setup.js';
import { readEmbeddingGuide, type EmbeddingGuide } from './embedding-guide.js';

const ADMIN_TOKEN = 'journey-admin-token-0123456789';
/** Generous waits: the demo data is the full published set, and the machine may be busy (no timing asserted). */
const SLOW = 120_000;
const TAGS = [
  'ci-usage-chart',
  'ci-charges-chart',
  'ci-balance-breakdown',
  'ci-funds-table',
  'ci-add-funds',
  'ci-auto-renewal',
  'ci-runway-card',
] as const;
/** What each element shows once its data is in. */
const COMPLETE: Record<(typeof TAGS)[number], string> = {
  'ci-usage-chart': 'ci-usage-chart[data-chart-drawn] [data-testid=summary]',
  'ci-charges-chart': 'ci-charges-chart[data-chart-drawn] [data-testid=summary]',
  'ci-balance-breakdown': 'ci-balance-breakdown [data-testid=total]',
  'ci-funds-table': 'ci-funds-table [data-testid=balance]',
  'ci-add-funds': 'ci-add-funds select#method:not([disabled])',
  'ci-auto-renewal': 'ci-auto-renewal [data-testid=status]',
  'ci-runway-card': 'ci-runway-card [data-testid=p50]',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Runs a shell snippet of the guide (curl) and parses the JSON it prints. */
function runShell(snippet: string, env: Record<string, string>): { status: number; json: unknown } {
  const r = spawnSync('bash', ['-c', snippet], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`snippet failed (${r.status}): ${r.stderr}`);
  return { status: r.status, json: JSON.parse(r.stdout) };
}

interface PartnerServer {
  readonly origin: string;
  stop(): Promise<void>;
}

/** Starts the guide's partner-server.mjs as step 4 says, and waits for the address it prints. */
function runPartnerServer(dir: string, port: number, apiKey: string): Promise<PartnerServer> {
  const child: ChildProcess = spawn(process.execPath, ['partner-server.mjs'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', CONVO_API_KEY: apiKey, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`partner server did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /portal at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          origin: m[1]!,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`partner server exited (${code}): ${out}`)));
  });
}

describe('the embedding guide, word for word, on a second origin', () => {
  let service: ServerProcess;
  let guide: EmbeddingGuide;
  let dir: string;
  let allowed: PartnerServer;
  let foreign: PartnerServer;
  let context: BrowserContext;
  let disposeBrowser: () => Promise<void>;
  let apiKey: string;
  /** Fills the guide's placeholders as its table says: the demo column, our own ports. */
  let fill: (text: string) => string;
  const warnings: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ci-partner-'));
    // What `npm start` runs after building the widgets: demo mode, demo data loaded on first start; with an
    // admin token, which the guide's step 1 needs on the demo.
    service = await startServer({
      dbPath: join(dir, 'service.duckdb'),
      tempDir: join(dir, 'tmp'),
      env: { DEMO_MODE: 'true', DEMO_DATA: 'true', SIGNING_SECRET: '', ADMIN_TOKEN },
    });
    guide = await readEmbeddingGuide(service.url);
    apiKey = guide.demoValue('$CONVO_API_KEY');
    const [allowedPort, foreignPort] = [await freePort(), await freePort()];
    const portalOrigin = `http://127.0.0.1:${allowedPort}`;
    fill = (text) =>
      text
        .replaceAll('https://insights.example.com', service.url)
        .replaceAll('https://portal.example.com', portalOrigin)
        .replaceAll('your-partner-id', guide.demoValue('your-partner-id'))
        .replaceAll('PN_1', guide.demoValue('PN_1'))
        .replaceAll('PN_2', guide.demoValue('PN_2'));

    // 1. Allow the portal's origin (admin API).
    const patched = runShell(fill(guide.snippet('allow-origin')), { CONVO_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(patched.json).toMatchObject({ partner_id: 'demo', allowed_origins: [portalOrigin] });

    // 2 and 3. The back end and the page, saved side by side.
    await writeFile(join(dir, 'partner-server.mjs'), fill(guide.snippet('partner-server')));
    await writeFile(join(dir, 'portal.html'), fill(guide.snippet('portal-page')));
    // 4. Run it, as the guide's command line says (its key and port are the reader's own).
    expect(guide.snippet('run-portal').split('\n')[0]).toBe(
      'CONVO_API_KEY=… PORT=3000 node partner-server.mjs',
    );
    allowed = await runPartnerServer(dir, allowedPort, apiKey);
    expect(allowed.origin).toBe(portalOrigin);
    foreign = await runPartnerServer(dir, foreignPort, apiKey);

    const browser = await launchChromium();
    context = browser.context;
    disposeBrowser = browser.dispose;
  }, 240_000);

  afterAll(async () => {
    await disposeBrowser?.();
    await allowed?.stop();
    await foreign?.stop();
    await service?.stop('SIGTERM');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function openPortal(origin: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    page.on('pageerror', (err) => console.error('[pageerror]', err.message));
    await page.goto(`${origin}/`);
    return page;
  }

  it(
    'every widget renders the demo data on the allowed origin',
    async () => {
      const page = await openPortal(allowed.origin);
      for (const tag of TAGS) await page.locator(COMPLETE[tag]).first().waitFor({ timeout: SLOW });
      // The token names two numbers (USD and EUR): the funds table lists both, nothing shows an error.
      expect(await page.locator('ci-funds-table [data-testid=balance]').count()).toBe(2);
      expect(await page.locator('[role=alert]').count()).toBe(0);
      expect(await page.locator('ci-runway-card [data-testid=p50]').innerText()).not.toBe('');
      await page.screenshot({ path: join(SCREENSHOTS, 'embedding-journey-portal.png'), fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    },
    3 * SLOW,
  );

  it(
    'a token past its ttl_seconds says, in every widget, that the access token expired',
    async () => {
      const page = await openPortal(allowed.origin);
      // The page's script has handed its token to every widget (one loop): replace it, as its refresh would.
      await page.locator('ci-runway-card[token]').waitFor({ timeout: SLOW });
      // The guide's own mint command, with the shortest ttl_seconds it allows.
      const snippet = fill(guide.snippet('mint-token'));
      expect(snippet).toContain('"ttl_seconds":900');
      const minted = runShell(snippet.replace('"ttl_seconds":900', '"ttl_seconds":1'), {
        CONVO_API_KEY: apiKey,
      }).json as { token: string; expires_at: string };
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(minted.expires_at) - Date.now()) + 1100));
      // What the guide's refresh does with any new token: set it on every widget.
      await page.evaluate((token) => {
        for (const w of document.querySelectorAll('[api-base]')) w.setAttribute('token', token);
      }, minted.token);
      for (const tag of TAGS) {
        await page
          .locator(`${tag} [role=alert]`, { hasText: 'The access token of this view has expired.' })
          .first()
          .waitFor({ timeout: SLOW });
      }
      // The developer's line in the console (its module loads on the first failure).
      await expect
        .poll(() =>
          warnings.some((w) => w.includes('the embed token has expired') && w.includes('token attribute')),
        )
        .toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, 'embedding-journey-expired.png'), fullPage: true });
      await page.close();
    },
    3 * SLOW,
  );

  it(
    'the same page on an origin that was never allowed is refused, naming the origin',
    async () => {
      const page = await openPortal(foreign.origin);
      const expected = `This page's origin ${foreign.origin} is not allowed for this partner.`;
      for (const tag of TAGS) {
        await page.locator(`${tag} [role=alert]`, { hasText: expected }).first().waitFor({ timeout: SLOW });
      }
      await expect
        .poll(() =>
          warnings.some((w) => w.includes(`${foreign.origin} is not in the partner's allowed_origins`)),
        )
        .toBe(true);
      await page.screenshot({ path: join(SCREENSHOTS, 'embedding-journey-foreign.png'), fullPage: true });
      await page.close();
    },
    3 * SLOW,
  );
});
