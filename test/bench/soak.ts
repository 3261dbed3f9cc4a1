/**
 * `npm run bench:soak`: a bounded mixed load on the real service (worker/node.ts as a child process on
 * 127.0.0.1, its own DuckDB file): usage, charges, authorize, small ingests, balance and runway from a few
 * concurrent clients for SOAK_SECONDS (default 60). Prints requests, 5xx (must be 0), p50/p99 per kind and the
 * server's RSS at start, peak and end; exits 1 on any 5xx.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVER_ADMIN, startServer } from '../adversarial/server-process.js';
import { rec, toCsv } from '../ingest/fixtures.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 6);
const PHONES = ['P1', 'P2', 'P3', 'P4'];
const FUNDED = PHONES.slice(0, -1);
/** Relative frequency of each kind of request. */
const MIX: [Kind, number][] = [
  ['authorize', 40],
  ['usage', 15],
  ['charges', 15],
  ['balance', 15],
  ['ingest', 10],
  ['runway', 5],
];
type Kind = 'authorize' | 'usage' | 'charges' | 'balance' | 'ingest' | 'runway';

const rssMb = (pid: number): number => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};

async function main(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'ci-soak-'));
  const server = await startServer({
    dbPath: join(dir, 'soak.duckdb'),
    tempDir: join(dir, 'tmp'),
    env: { SETTLEMENT_DELAY_MS: '0' },
  });
  try {
    const call = async (
      method: string,
      path: string,
      token: string,
      body?: string,
      type = 'application/json',
      headers: Record<string, string> = {},
    ) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': type, ...headers },
        ...(body === undefined ? {} : { body }),
      });
      const text = await res.text();
      return { status: res.status, text };
    };
    let key = SERVER_ADMIN;
    const setup = async (method: string, path: string, body?: string, type?: string, headers = {}) => {
      const r = await call(method, path, key, body, type, headers);
      if (r.status >= 300) throw new Error(`set-up ${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
      return JSON.parse(r.text) as Record<string, unknown>;
    };
    key = (await setup('POST', '/v1/partners', JSON.stringify({ partner_id: 'soak', name: 'Soak' })))
      .api_key as string;
    const waba = { waba_id: 'W1', name: 'W1', timezone: 'America/Los_Angeles', currency: 'USD' };
    await setup('POST', '/v1/wabas', JSON.stringify(waba));
    for (const p of PHONES)
      await setup('POST', '/v1/phone-numbers', JSON.stringify({ phone_number_id: p, waba_id: 'W1' }));
    const history = Array.from({ length: 2000 }, (_, i) =>
      rec(`h-${i}`, {
        pricing_model: 'PMP',
        unit: 'message',
        phone_number_id: PHONES[i % PHONES.length]!,
        opened_at: new Date(Date.now() - (i % 90) * 86_400_000).toISOString(),
      }),
    );
    await setup('POST', '/v1/ingest', toCsv(history), 'text/csv');
    // Money to spend on every number but the last, paid as the product is paid: a quote, a confirmation, then
    // the simulated processor's settlement (SETTLEMENT_DELAY_MS=0 and its 2 s job). The unfunded number keeps
    // a zero balance, so paid sends from it are refused (402) while the others are allowed.
    for (const p of FUNDED) {
      const quote = JSON.stringify({ mode: 'one_time', amount: '5000', payment_method: 'bank_transfer' });
      const q = await setup('POST', `/v1/phone-numbers/${p}/funds/quotes`, quote);
      const body = JSON.stringify({ quote_id: q.quote_id });
      await setup('POST', `/v1/phone-numbers/${p}/funds`, body, undefined, {
        'idempotency-key': `soak-${p}`,
      });
    }
    for (let i = 0; ; i++) {
      const balances = await Promise.all(
        FUNDED.map(async (p) => (await setup('GET', `/v1/phone-numbers/${p}/balance`)).state),
      );
      if (balances.every((s) => s === 'positive')) break;
      if (i >= 60) throw new Error(`set-up: the top-ups did not settle (${balances.join(', ')})`);
      await new Promise((r) => setTimeout(r, 500));
    }

    const lat = new Map<Kind, number[]>(MIX.map(([k]) => [k, []]));
    const statuses = new Map<Kind, Map<number, number>>(MIX.map(([k]) => [k, new Map()]));
    const fiveXX: string[] = [];
    const total = MIX.reduce((s, [, w]) => s + w, 0);
    let seq = 0;
    const pick = (n: number): Kind => {
      let x = n % total;
      for (const [k, w] of MIX) if ((x -= w) < 0) return k;
      return 'authorize';
    };
    const request = (kind: Kind, n: number) => {
      const phone = PHONES[n % PHONES.length]!;
      switch (kind) {
        case 'authorize':
          return call(
            'POST',
            `/v1/phone-numbers/${phone}/messages/authorize`,
            key,
            JSON.stringify(
              n % 3 === 0
                ? { direction: 'inbound', recipient: String(4_477_000_000 + (n % 50_000)) }
                : {
                    direction: 'outbound',
                    recipient: String(4_477_000_000 + (n % 50_000)),
                    kind: 'template',
                    category: n % 2 ? 'marketing' : 'utility',
                  },
            ),
          );
        case 'usage':
          return call('GET', `/v1/usage?waba_id=W1&group_by=phone_number_id`, key);
        case 'charges':
          return call('GET', `/v1/charges?waba_id=W1&group_by=category`, key);
        case 'balance':
          return call('GET', `/v1/phone-numbers/${phone}/balance`, key);
        case 'runway':
          return call('GET', `/v1/phone-numbers/${phone}/runway?horizon_days=30`, key);
        case 'ingest':
          return call(
            'POST',
            '/v1/ingest',
            key,
            toCsv(
              Array.from({ length: 20 }, (_, i) =>
                rec(`s-${n}-${i}`, {
                  pricing_model: 'PMP',
                  unit: 'message',
                  phone_number_id: phone,
                  opened_at: new Date().toISOString(),
                }),
              ),
            ),
            'text/csv',
          );
      }
    };
    const rss = { start: rssMb(server.pid), peak: 0, end: 0 };
    rss.peak = rss.start;
    const sampler = setInterval(() => (rss.peak = Math.max(rss.peak, rssMb(server.pid))), 250);
    const until = performance.now() + SECONDS * 1000;
    const client = async () => {
      while (performance.now() < until) {
        const n = seq++;
        const kind = pick(n * 7919);
        const t0 = performance.now();
        const r = await request(kind, n);
        lat.get(kind)!.push(performance.now() - t0);
        const byStatus = statuses.get(kind)!;
        byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
        if (r.status >= 500) fiveXX.push(`${kind} ${r.status} ${r.text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    clearInterval(sampler);
    rss.end = rssMb(server.pid);
    rss.peak = Math.max(rss.peak, rss.end);
    const requests = [...lat.values()].reduce((s, l) => s + l.length, 0);
    console.log(`soak: ${SECONDS} s, ${CLIENTS} clients on ${server.url}`);
    console.log(`requests ${requests} (${(requests / SECONDS).toFixed(0)}/s), 5xx ${fiveXX.length}`);
    for (const [k, l] of lat)
      console.log(
        `${k.padEnd(10)} n=${String(l.length).padStart(6)}  p50 ${pct(l, 50).toFixed(1).padStart(7)} ms  p99 ${pct(l, 99).toFixed(1).padStart(7)} ms  ${JSON.stringify(Object.fromEntries(statuses.get(k)!))}`,
      );
    console.log(
      `server RSS start ${rss.start.toFixed(0)} MB, peak ${rss.peak.toFixed(0)} MB, end ${rss.end.toFixed(0)} MB`,
    );
    for (const f of fiveXX.slice(0, 5)) console.log(`5xx: ${f}`);
    // The gate's two answers must both be exercised: allowed sends (funded numbers) and refused ones (402).
    const gate = statuses.get('authorize')!;
    const bothPaths = (gate.get(200) ?? 0) > 0 && (gate.get(402) ?? 0) > 0;
    if (!bothPaths) console.log('authorize did not see both allowed (200) and refused (402) sends');
    return fiveXX.length === 0 && bothPaths ? 0 : 1;
  } finally {
    await server.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
