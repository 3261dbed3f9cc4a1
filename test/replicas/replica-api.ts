/**
 * The API calls the replica tests make, each through a chosen replica: a partner with its WABA and numbers, and
 * top-ups (quote, then confirm with an Idempotency-Key). Every call must succeed unless it says otherwise.
 */
import type { Replicas } from '../helpers/replicas.js';

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One request to replica `i`; JSON in and out. */
export async function call(
  r: Replicas,
  i: number,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const res = await r.fetch(i, path, {
    method,
    ...(opts.token ? { token: opts.token } : {}),
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    headers: opts.headers ?? {},
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function must(r: Replicas, i: number, method: string, path: string, opts: Parameters<typeof call>[4]) {
  const a = await call(r, i, method, path, opts);
  if (a.status >= 300)
    throw new Error(`${method} ${path} via replica ${i}: ${a.status} ${JSON.stringify(a.body)}`);
  return a.body;
}

/** A partner, one WABA (EUR, Berlin) and `numbers`, all created through replica `via`; returns its API key. */
export async function createTenant(
  r: Replicas,
  via: number,
  t: { partner: string; waba: string; numbers: readonly string[] },
): Promise<string> {
  const partner = await must(r, via, 'POST', '/v1/partners', {
    body: { partner_id: t.partner, name: t.partner },
  });
  const key = partner.api_key as string;
  await must(r, via, 'POST', '/v1/wabas', {
    token: key,
    body: { waba_id: t.waba, name: t.waba, timezone: 'Europe/Berlin', currency: 'EUR' },
  });
  for (const n of t.numbers)
    await must(r, via, 'POST', '/v1/phone-numbers', {
      token: key,
      body: { phone_number_id: n, waba_id: t.waba },
    });
  return key;
}

/** A quote for a one-time top-up of `amount` EUR by bank transfer (no fee), through replica `i`. */
export async function quoteTopUp(r: Replicas, i: number, key: string, phone: string, amount: string) {
  const q = await must(r, i, 'POST', `/v1/phone-numbers/${phone}/funds/quotes`, {
    token: key,
    body: { mode: 'one_time', amount, payment_method: 'bank_transfer' },
  });
  return q.quote_id as string;
}

/** Confirms a quote through replica `i` with `idempotencyKey`; the raw answer. */
export function confirmTopUp(
  r: Replicas,
  i: number,
  key: string,
  phone: string,
  quoteId: string,
  idempotencyKey: string,
) {
  return call(r, i, 'POST', `/v1/phone-numbers/${phone}/funds`, {
    token: key,
    body: { quote_id: quoteId },
    headers: { 'idempotency-key': idempotencyKey },
  });
}

/** Quote and confirm through replica `i`; the pending top-up's id. */
export async function addFunds(r: Replicas, i: number, key: string, phone: string, amount: string) {
  const quote = await quoteTopUp(r, i, key, phone, amount);
  const a = await confirmTopUp(r, i, key, phone, quote, `add-${quote}`);
  if (a.status !== 202) throw new Error(`confirm via replica ${i}: ${a.status} ${JSON.stringify(a.body)}`);
  return a.body.topup_id as string;
}
