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
    ) => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        ...(body === undefined ? {} : { body }),
      });
      const text = await res.text();
      return { status: res.status, text };
    };
    const partner = JSON.parse(
      (await call('POST', '/v1/partners', SERVER_ADMIN, JSON.stringify({ partner_id: 'soak', name: 'Soak' })))
        .text,
    ) as { api_key: string };
    const key = partner.api_key;
    const waba = { waba_id: 'W1', name: 'W1', timezone: 'America/Los_Angeles', currency: 'USD' };
    await call('POST', '/v1/wabas', key, JSON.stringify(waba));
    for (const p of PHONES)
      await call('POST', '/v1/phone-numbers', key, JSON.stringify({ phone_number_id: p, waba_id: 'W1' }));
    // History to read, and money to spend (settled at once: SETTLEMENT_DELAY_MS=0 and the 2 s job).
    const history = Array.from({ length: 2000 }, (_, i) =>
      rec(`h-${i}`, {
        pricing_model: 'PMP',
        unit: 'message',
        phone_number_id: PHONES[i % PHONES.length]!,
        opened_at: new Date(Date.now() - (i % 90) * 86_400_000).toISOString(),
      }),
    );
    await call('POST', '/v1/ingest', key, toCsv(history), 'text/csv');
    for (const p of PHONES) {
      const q = JSON.parse(
        (
          await call(
            'POST',
            `/v1/phone-numbers/${p}/funds/quotes`,
            key,
            JSON.stringify({ mode: 'one_time', amount: '5000', payment_method: 'pix' }),
          )
        ).text,
      ) as { quote_id: string };
      await fetch(`${server.url}/v1/phone-numbers/${p}/funds`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': `soak-${p}`,
        },
        body: JSON.stringify({ quote_id: q.quote_id }),
      });
    }
    await new Promise((r) => setTimeout(r, 3000));

    const lat = new Map<Kind, number[]>(MIX.map(([k]) => [k, []]));
    const statuses = new Map<number, number>();
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
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status >= 500) fiveXX.push(`${kind} ${r.status} ${r.text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    clearInterval(sampler);
    rss.end = rssMb(server.pid);
    rss.peak = Math.max(rss.peak, rss.end);
    const requests = [...lat.values()].reduce((s, l) => s + l.length, 0);
    console.log(`soak: ${SECONDS} s, ${CLIENTS} clients on ${server.url}`);
    console.log(
      `requests ${requests} (${(requests / SECONDS).toFixed(0)}/s), 5xx ${fiveXX.length}, statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    for (const [k, l] of lat)
      console.log(
        `${k.padEnd(10)} n=${String(l.length).padStart(6)}  p50 ${pct(l, 50).toFixed(1).padStart(7)} ms  p99 ${pct(l, 99).toFixed(1).padStart(7)} ms`,
      );
    console.log(
      `server RSS start ${rss.start.toFixed(0)} MB, peak ${rss.peak.toFixed(0)} MB, end ${rss.end.toFixed(0)} MB`,
    );
    for (const f of fiveXX.slice(0, 5)) console.log(`5xx: ${f}`);
    return fiveXX.length === 0 ? 0 : 1;
  } finally {
    await server.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
