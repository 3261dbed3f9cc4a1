/**
 * kill -9 of a real server process while top-ups settle: each round confirms a set of top-ups (the simulated
 * processor settles them 1.5 s later, its job runs every 2 s), sends duplicated payment webhooks for some at
 * random moments, starts an ingest so a request body sits in the temp folder, and kills the process at a seeded
 * moment. After a restart on the same store every top-up resolves exactly once: one credit row each, with the
 * top-up's status and amount, balances equal to the settled top-ups, a replayed confirm or webhook changes
 * nothing, and the killed process's temp files are gone.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../worker/pricing/open-store.js';
import { signPayload } from '../../worker/funding/payment-signature.js';
import { rec, toCsv } from '../ingest/fixtures.js';
import { seededRandom } from './money-property-world.js';
import { SERVER_ADMIN, SERVER_SIGNING_SECRET, startServer, type ServerProcess } from './server-process.js';

const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = 4;
const PER_ROUND = 8;
const PHONES = ['P1', 'P2', 'P3'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api(
  s: ServerProcess,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers = {},
) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    replayed: res.headers.get('idempotent-replayed') === 'true',
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

const webhook = async (s: ServerProcess, type: string, topupId: string) => {
  const raw = JSON.stringify({ id: `evt_${topupId}_${type}`, type, topup_id: topupId });
  const signature = await signPayload(SERVER_SIGNING_SECRET, raw);
  return api(s, 'POST', '/v1/payments/webhook', '', raw, { 'x-signature': signature });
};

/** The store's state at the kill, read from a copy so the restart replays the real file. */
async function stateAtKill(dir: string, dbPath: string): Promise<Record<string, number>> {
  const copy = join(dir, `at-kill-${Date.now()}.duckdb`);
  await copyFile(dbPath, copy);
  if (existsSync(`${dbPath}.wal`)) await copyFile(`${dbPath}.wal`, `${copy}.wal`);
  const db = await openStore({ path: copy }, new Date());
  try {
    const rows = await db.all<{ status: string; n: number }>(
      'SELECT status, count(*)::INTEGER AS n FROM topups GROUP BY ALL ORDER BY ALL',
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    await db.close();
    await rm(copy, { force: true });
    await rm(`${copy}.wal`, { force: true });
  }
}

describe('kill -9 during top-up settlement', () => {
  let dir = '';
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`settles every top-up exactly once across ${ROUNDS} kills (seed ${SEED})`, async () => {
    const rnd = seededRandom(SEED);
    dir = await mkdtemp(join(tmpdir(), 'ci-settle-crash-'));
    const dbPath = join(dir, 'store.duckdb');
    const tempDir = join(dir, 'tmp');
    const env = { SETTLEMENT_DELAY_MS: '1500' };
    let server = await startServer({ dbPath, tempDir, env });
    servers.push(server);
    const key = (
      await api(server, 'POST', '/v1/partners', SERVER_ADMIN, { partner_id: 'acme', name: 'Acme' })
    ).body.api_key as string;
    const waba = (id: string) => ({ waba_id: id, name: id, timezone: 'Europe/Berlin', currency: 'EUR' });
    await api(server, 'POST', '/v1/wabas', key, waba('W1'));
    await api(server, 'POST', '/v1/wabas', key, waba('W2'));
    for (const p of PHONES)
      await api(server, 'POST', '/v1/phone-numbers', key, { phone_number_id: p, waba_id: 'W1' });
    // Usage on a number of its own, never funded, so the ingest in flight cannot move the balances under test.
    const body = toCsv(
      Array.from({ length: 100_000 }, (_, i) =>
        rec(`q-${i}`, {
          waba_id: 'W2',
          phone_number_id: 'Q1',
          waba_timezone: 'Europe/Berlin',
          currency: 'EUR',
        }),
      ),
    );

    const confirms: { key: string; phone: string; quoteId: string; topupId: string }[] = [];
    const observed: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < PER_ROUND; i++) {
        const phone = PHONES[Math.floor(rnd() * PHONES.length)]!;
        const amount = `${10 + Math.floor(rnd() * 190)}.${String(Math.floor(rnd() * 100)).padStart(2, '0')}`;
        const method = rnd() < 0.5 ? 'card' : 'bank_transfer';
        const q = await api(server, 'POST', `/v1/phone-numbers/${phone}/funds/quotes`, key, {
          mode: 'one_time',
          amount,
          payment_method: method,
        });
        expect(q.status).toBe(201);
        const k = `crash-${round}-${i}`;
        const c = await api(
          server,
          'POST',
          `/v1/phone-numbers/${phone}/funds`,
          key,
          { quote_id: q.body.quote_id },
          {
            'idempotency-key': k,
          },
        );
        expect(c.status).toBe(202);
        confirms.push({
          key: k,
          phone,
          quoteId: q.body.quote_id as string,
          topupId: c.body.topup_id as string,
        });
      }
      // Duplicated webhooks for some of this round's top-ups, racing the settlement job, until the kill.
      const killAt = Math.floor(rnd() * 3500);
      const mine = confirms.slice(-PER_ROUND);
      const hooks = mine
        .filter(() => rnd() < 0.4)
        .map((t) => ({
          t,
          at: Math.floor(rnd() * killAt),
          type: rnd() < 0.2 ? 'payment.failed' : 'payment.succeeded',
        }))
        .map(async ({ t, at, type }) => {
          await sleep(at);
          await Promise.all([webhook(server, type, t.topupId), webhook(server, type, t.topupId)]).catch(
            () => null,
          );
        });
      await sleep(killAt);
      const ingest = fetch(`${server.url}/v1/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
        body,
      }).catch(() => null);
      const bodies = join(tempDir, 'convo-ingest', String(server.pid));
      for (let i = 0; i < 400 && !(existsSync(bodies) && (await readdir(bodies)).length > 0); i++)
        await sleep(10);
      const leftBody = existsSync(bodies) && (await readdir(bodies)).length > 0;
      await server.stop('SIGKILL');
      await Promise.all([...hooks, ingest]);
      const atKill = await stateAtKill(dir, dbPath);
      observed.push(
        `round ${round}: kill at +${killAt} ms, top-ups ${JSON.stringify(atKill)}, body left ${leftBody}`,
      );

      server = await startServer({ dbPath, tempDir, env });
      servers.push(server);
      expect(existsSync(bodies), 'the killed process left a request body that was not removed').toBe(false);
      await waitUntilResolved(server, key);
      await checkRound(server, key, confirms);
    }
    await server.stop('SIGTERM');
    await checkStore(dbPath, confirms);
    // What the kills hit, for the log: pending and settled top-ups side by side means a kill mid-settlement.
    console.log(`seed ${SEED}\n${observed.join('\n')}`);
  }, 400_000);
});

async function waitUntilResolved(s: ServerProcess, key: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const lists = await Promise.all(PHONES.map((p) => api(s, 'GET', `/v1/phone-numbers/${p}/funds`, key)));
    const pending = lists
      .flatMap((l) => l.body.topups as { status: string }[])
      .filter((t) => t.status === 'pending');
    if (pending.length === 0) return;
    await sleep(200);
  }
  throw new Error('top-ups still pending 30 s after the restart');
}

/** After a restart: balances are the settled top-ups, and replaying any confirm or webhook changes nothing. */
async function checkRound(
  s: ServerProcess,
  key: string,
  confirms: { key: string; phone: string; quoteId: string; topupId: string }[],
) {
  const before = await balances(s, key);
  for (const c of confirms) {
    const again = await api(
      s,
      'POST',
      `/v1/phone-numbers/${c.phone}/funds`,
      key,
      { quote_id: c.quoteId },
      {
        'idempotency-key': c.key,
      },
    );
    expect(again).toMatchObject({ status: 202, replayed: true, body: { topup_id: c.topupId } });
    const hook = await webhook(s, 'payment.succeeded', c.topupId);
    expect(hook.status).toBe(200);
    expect(hook.body.changed).toBe(false);
  }
  expect(await balances(s, key)).toEqual(before);
  for (const p of PHONES) {
    const list = (await api(s, 'GET', `/v1/phone-numbers/${p}/funds`, key)).body.topups as {
      status: string;
      amount: string;
    }[];
    const settled = list.filter((t) => t.status === 'settled').reduce((sum, t) => sum + micros(t.amount), 0n);
    expect(micros(before[p]!), p).toBe(settled);
  }
}

async function balances(s: ServerProcess, key: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const p of PHONES)
    out[p] = (await api(s, 'GET', `/v1/phone-numbers/${p}/balance`, key)).body.balance as string;
  return out;
}

const micros = (s: string) => {
  const [i, f = ''] = s.split('.');
  return BigInt(i!) * 1_000_000n + BigInt(f.padEnd(6, '0'));
};

/** The store itself: one credit row per top-up with its status and amount, one stored answer per confirm. */
async function checkStore(dbPath: string, confirms: { topupId: string }[]): Promise<void> {
  const db = await openStore({ path: dbPath }, new Date());
  try {
    const rows = await db.all<{ topup_id: string; status: string; credits: string }>(
      `SELECT t.topup_id, t.status,
              string_agg(l.status || ' ' || l.amount::VARCHAR, ', ') AS credits, any_value(t.amount)::VARCHAR AS amount
         FROM topups t LEFT JOIN ledger_movements l ON l.topup_id = t.topup_id AND l.kind LIKE 'topup_%'
        GROUP BY ALL ORDER BY t.topup_id`,
    );
    expect(rows.map((r) => r.topup_id).sort()).toEqual(confirms.map((c) => c.topupId).sort());
    for (const r of rows as { topup_id: string; status: string; credits: string; amount: string }[]) {
      expect(r.status === 'settled' || r.status === 'failed', JSON.stringify(r)).toBe(true);
      expect(r.credits, JSON.stringify(r)).toBe(`${r.status} ${r.amount}`);
    }
    const [keys] = await db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM idempotency_keys');
    expect(keys!.n).toBe(confirms.length);
  } finally {
    await db.close();
  }
}
