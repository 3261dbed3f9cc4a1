/**
 * The ledger after a crash between usage and its postings: the real service (worker/node.ts) as a child process
 * is killed with SIGKILL, the store is left as such a crash leaves it (a day's usage committed, its ledger
 * posting not made), and `npm run reconcile` reports the drift. The restarted service posts exactly the missing
 * charges before it listens: the balance is the one before the crash, to the micro-unit, and stays so over a
 * second restart. With TEST_MONEY_STORE=pglite the money plane is a PGlite folder beside the DuckDB file: the
 * usage commits on one plane and its postings on the other, so the lost postings are what a crash between the
 * two commits leaves.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_ADMIN, startServer, type ServerProcess } from '../adversarial/server-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';

/** The money store of the service under test: the DuckDB file itself, or a PGlite folder beside it. */
const STORE = process.env.TEST_MONEY_STORE === 'pglite' ? 'pglite' : 'duckdb';

// Run in a process of its own: this one must not keep the stores locked for the service and the CLI.
const LOSE_POSTINGS = `
  const [r] = await money.all(
    "SELECT count(DISTINCT local_day)::INTEGER AS days, (-SUM(amount))::VARCHAR AS amt " +
      "FROM ledger_movements WHERE local_day >= DATE '2026-11-15'");
  await money.run("DELETE FROM ledger_movements WHERE local_day >= DATE '2026-11-15'");
  return r;`;

/** Node with tsx on `args`, in the repository, with a bare environment; answers its exit code and output. */
function runTsx(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STORE },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function inChild(dbPath: string, body: string): Promise<string> {
  const script = `
    const { openStore } = await import(${JSON.stringify(join(ROOT, 'worker', 'pricing', 'open-store.ts'))});
    const { openMoneyPlane } = await import(${JSON.stringify(join(ROOT, 'worker', 'db', 'open-money-store.ts'))});
    const { normalizeConfig } = await import(${JSON.stringify(join(ROOT, 'worker', 'config.ts'))});
    const db = await openStore({ path: ${JSON.stringify(dbPath)} }, new Date());
    const money = await openMoneyPlane(normalizeConfig({ DB_PATH: ${JSON.stringify(dbPath)}, STORE: ${JSON.stringify(STORE)} }), db);
    const out = await (async () => { ${body} })();
    if (money !== db) await money.close();
    await db.close();
    process.stdout.write(JSON.stringify(out));`;
  const r = await runTsx(['--input-type=module', '-e', script]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout;
}

const reconcileCli = (args: string[]) => runTsx([join(ROOT, 'worker', 'cli', 'reconcile.ts'), ...args]);

describe('a crash between usage and the ledger', () => {
  let dir = '';
  let server: ServerProcess | null = null;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ends with the ledger exactly right after restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ci-reconcile-'));
    const dbPath = join(dir, 'store.duckdb');
    const start = () => startServer({ dbPath, tempDir: join(dir, 'tmp'), env: { STORE } });
    server = await start();
    const call = async (
      method: string,
      path: string,
      token: string,
      body?: string,
      type = 'application/json',
    ) => {
      const res = await fetch(`${server!.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': type } : {}) },
        body,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return { status: res.status, body: JSON.parse(text) as Record<string, any> };
    };
    const partner = await call(
      'POST',
      '/v1/partners',
      SERVER_ADMIN,
      JSON.stringify({ partner_id: 'acme', name: 'Acme' }),
    );
    const key = partner.body.api_key as string;
    await call(
      'POST',
      '/v1/wabas',
      key,
      JSON.stringify({ waba_id: 'WE', name: 'WE', timezone: 'Europe/Berlin', currency: 'EUR' }),
    );
    await call('POST', '/v1/phone-numbers', key, JSON.stringify({ phone_number_id: 'E1', waba_id: 'WE' }));
    // The partner starts the account at the beginning of the history: every charge debits the balance.
    const set = await call(
      'PUT',
      '/v1/phone-numbers/E1/account-start',
      key,
      JSON.stringify({ starts_on: '2026-11-01' }),
    );
    expect(set.status).toBe(200);
    const lines = Array.from({ length: 60 }, (_, i) => {
      const at = new Date(Date.parse('2026-11-02T09:00:00Z') + i * 7 * 3_600_000).toISOString();
      return `u-${i},PMP,message,WE,E1,49151123${String(i).padStart(5, '0')},marketing_lite,${at},true,0.0913`;
    });
    const ingest = await call('POST', '/v1/ingest', key, [HEADER, ...lines].join('\n') + '\n', 'text/csv');
    expect(ingest.status).toBe(200);
    const balance = (await call('GET', '/v1/phone-numbers/E1/balance', key)).body.balance as string;
    expect(balance).toBe('-5.478000'); // 60 × 0.0913
    expect((await call('GET', '/v1/reconciliation', key)).body.in_balance).toBe(true);
    await server.stop('SIGKILL');

    // What a crash between the planes leaves: the last days' usage committed, their postings not made.
    const lost = JSON.parse(await inChild(dbPath, LOSE_POSTINGS)) as { days: number; amt: string };
    expect(lost.days).toBeGreaterThan(1);

    const found = await reconcileCli(['--db', dbPath]);
    expect(found.code, found.stderr).toBe(1);
    expect(found.stderr).toBe('');
    const report = JSON.parse(found.stdout) as { drift_days: number; totals: { difference: string }[] };
    expect(report.drift_days).toBe(lost.days);
    expect(report.totals).toEqual([expect.objectContaining({ currency: 'EUR', difference: lost.amt })]);
    expect((await reconcileCli(['--db', dbPath, '--limit', '0'])).code).toBe(2);

    server = await start();
    expect(server.stderr()).toContain('ledger reconciled at startup');
    expect((await call('GET', '/v1/phone-numbers/E1/balance', key)).body.balance).toBe(balance);
    expect((await call('GET', '/v1/reconciliation', key)).body.in_balance).toBe(true);
    await server.stop('SIGTERM');

    // Nothing more on the next start: the repair converged.
    server = await start();
    expect(server.stderr()).not.toContain('ledger reconciled at startup');
    expect((await call('GET', '/v1/phone-numbers/E1/balance', key)).body.balance).toBe(balance);
    await server.stop('SIGTERM');
    server = null;
    expect((await reconcileCli(['--db', dbPath])).code).toBe(0);
  }, 240_000);
});
