/**
 * The load of npm run bench:intake: keep-alive senders posting over loopback, the bodies they post (one
 * delivered PMP status per webhook payload, billing-unit records as CSV), and the figures of a phase.
 */
import http from 'node:http';

export interface Phase {
  readonly items: number;
  readonly requests: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

export interface Target {
  readonly path: string;
  readonly expected: number;
  readonly type: (perRequest: number) => string;
  /** The body of `perRequest` new items numbered from `first`, tagged so that no phase repeats another's. */
  readonly body: (tag: string, first: number, perRequest: number) => string;
}

export function poster(port: number, maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const post = (path: string, token: string, body: string, type: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          agent,
          method: 'POST',
          path,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': type,
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  // A kept-alive socket the server closed as idle (between phases) fails at once; the request is sent again on a
  // new one (either path deduplicates, so a request that did arrive is not counted twice).
  const retried = (path: string, token: string, body: string, type: string) =>
    post(path, token, body, type).catch((err: unknown) => {
      if ((err as { code?: string }).code !== 'ECONNRESET') throw err;
      return post(path, token, body, type);
    });
  return { post: retried, close: () => agent.destroy() };
}

/** One delivered PMP status, a Cloud API payload as a BSP's sender posts it. */
export function payload(wamid: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'W1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: 'N1' },
              statuses: [
                {
                  id: wamid,
                  status: 'delivered',
                  timestamp: String(Date.parse('2026-05-12T10:00:00Z') / 1000),
                  recipient_id: '15551234567',
                  pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

/** Webhooks: one payload as application/json, several as NDJSON (what a BSP's sender posts). */
export const webhookTarget = (path: string, expected: number): Target => ({
  path,
  expected,
  type: (n) => (n === 1 ? 'application/json' : 'application/vnd.whatsapp.webhooks+x-ndjson'),
  body: (tag, first, n) =>
    Array.from({ length: n }, (_, i) => payload(`wamid.${tag}.${first + i}`)).join('\n'),
});

const RECORD_HEADER =
  'unit_id,pricing_model,unit,waba_id,waba_timezone,currency,phone_number_id,recipient_wa_id,category,opened_at,status_final,billable_reported,rate';

/** Records: CBP conversations of June 2026 as CSV (a month of their own, so that usage counts them apart). */
export const recordTarget = (path: string, expected: number): Target => ({
  path,
  expected,
  type: () => 'text/csv',
  body: (tag, first, n) =>
    [
      RECORD_HEADER,
      ...Array.from(
        { length: n },
        (_, i) =>
          `conv.${tag}.${first + i},CBP,conversation,W1,America/New_York,USD,N1,15551234567,marketing,` +
          `2026-06-12T10:00:00Z,delivered,true,0.025`,
      ),
    ].join('\n') + '\n',
});

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** `senders` loops posting bodies of `perRequest` new items until the time or the item budget is used up. */
export async function runPhase(
  post: ReturnType<typeof poster>['post'],
  token: string,
  target: Target,
  opts: { tag: string; perRequest: number; seconds: number; senders: number; maxItems: number },
): Promise<Phase> {
  const { perRequest } = opts;
  const until = performance.now() + opts.seconds * 1000;
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  const sender = async () => {
    while (performance.now() < until && next + perRequest <= opts.maxItems) {
      const first = next;
      next += perRequest;
      const body = target.body(opts.tag, first, perRequest);
      const s = performance.now();
      const r = await post(target.path, token, body, target.type(perRequest));
      latencies.push(performance.now() - s);
      if (r.status !== target.expected) {
        failed++;
        if (failed <= 3) console.error(`  ${target.path}: ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.senders }, sender));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    items: latencies.length * perRequest,
    requests: latencies.length,
    seconds: elapsed,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    failed,
  };
}

export const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export const phaseLine = (name: string, p: Phase, what: string) =>
  `  ${name.padEnd(9)} ${fmt(p.items / p.seconds).padStart(8)} ${what}/s  ${fmt(p.requests / p.seconds).padStart(7)} req/s  ` +
  `p50 ${fmt(p.p50, 1).padStart(7)} ms  p99 ${fmt(p.p99, 1).padStart(7)} ms  (${fmt(p.items)} ${what}, ${p.failed} failed)`;

/** What the webhook door is to reach in one shape, in one run. */
export const TARGETS = { eventsPerSecond: 5000, p99Ms: 50, visibleSeconds: 5 };

/** The verdict line of one webhook shape: every target met, or which are not and by how much. */
export function verdict(p: Phase, visibleSeconds: number): string {
  const rate = p.items / p.seconds;
  const missed = [
    rate < TARGETS.eventsPerSecond ? `${fmt(rate)} events/s < ${fmt(TARGETS.eventsPerSecond)}` : '',
    p.p99 > TARGETS.p99Ms ? `p99 ${fmt(p.p99, 1)} ms > ${TARGETS.p99Ms} ms` : '',
    !(visibleSeconds <= TARGETS.visibleSeconds)
      ? `in usage after ${fmt(visibleSeconds, 2)} s > ${TARGETS.visibleSeconds} s`
      : '',
    p.failed > 0 ? `${p.failed} failed` : '',
  ].filter((m) => m !== '');
  const targets = `≥ ${fmt(TARGETS.eventsPerSecond)} events/s, p99 ≤ ${TARGETS.p99Ms} ms, in usage ≤ ${TARGETS.visibleSeconds} s`;
  return missed.length === 0
    ? `verdict: targets MET (${targets})`
    : `verdict: targets not met: ${missed.join('; ')}`;
}
