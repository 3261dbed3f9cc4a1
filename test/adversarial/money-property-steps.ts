/**
 * The steps of the money property test. Each sends real requests through the app (or runs the settlement and
 * renewal jobs the way the host does), checks the answer it must get, updates the test's own model, and says
 * whether the store may change: a refused or replayed request must leave every balance exactly as it was.
 */
import { signPayload } from '../../worker/funding/payment-signature.js';
import { checkAllRenewals, settleDueTopUps } from '../../worker/funding/settle-due.js';
import { ENV } from '../funding/fixtures.js';
import { HEADER, rec, toCsv, toNdjson, type Rec } from '../ingest/fixtures.js';
import { api, int, micros, pick, PHONES, SETTLEMENT_MS, type World } from './money-property-world.js';

export interface StepResult {
  readonly name: string;
  /** False when the step's requests were refused or replayed: nothing about money may change. */
  readonly mayChange: boolean;
}

const RATES = ['0.000001', '0.01', '0.0125', '0.125', '0.5', '1', '2.75', '9.999999'];
const HOSTILE: [string, Partial<Rec> & { cost?: string }][] = [
  ['negative rate', { rate: '-1000.00' }],
  ['negative zero-ish rate', { rate: '-0.01' }],
  ['7-decimal rate', { rate: '0.0000001' }],
  ['rate over the unit limit', { rate: '10000.000001' }],
  ['exponent rate', { rate: '1e3' }],
  ['NaN rate', { rate: 'NaN' }],
  ['negative NBP cost', { pricing_model: 'NBP', unit: 'conversation', rate: '', cost: '-250000' }],
  ['year 0000', { opened_at: '0000-01-01T00:00:00Z' }],
  ['year 9999', { opened_at: '9999-12-31T00:00:00Z' }],
  ['offset +25:00', { opened_at: '2025-08-01T10:00:00+25:00' }],
  ['path as number id', { phone_number_id: '../../etc/passwd' }],
  ['number id with a space', { phone_number_id: 'P1 ' }],
  ['unknown WABA', { waba_id: 'W-other' }],
];
const fail = (msg: string, detail: unknown): never => {
  throw new Error(`${msg}: ${JSON.stringify(detail).slice(0, 600)}`);
};
const expectStatus = (got: { status: number; body: unknown }, want: number[], what: string) => {
  if (!want.includes(got.status)) fail(`${what}: expected ${want.join('/')}, got ${got.status}`, got.body);
};
const newKey = (w: World, kind: string) => `${kind}-${++w.serial}`;

function unitRow(w: World): Rec & { cost?: string } {
  return rec(`u${int(w, 0, 9)}`, {
    pricing_model: 'PMP',
    unit: 'message',
    waba_timezone: 'Europe/Berlin',
    currency: 'EUR',
    phone_number_id: pick(w, PHONES),
    recipient_wa_id: '4915112345678',
    opened_at: `2025-08-${String(int(w, 1, 14)).padStart(2, '0')}T${String(int(w, 0, 23)).padStart(2, '0')}:30:00Z`,
    rate: pick(w, RATES),
  });
}

function encode(w: World, rows: (Rec & { cost?: string })[]): { body: string; type: string } {
  if (w.rnd() < 0.5) return { body: toCsv(rows, [...HEADER, 'cost']), type: 'text/csv' };
  return { body: toNdjson(rows), type: 'application/x-ndjson' };
}

const ingest = (w: World, b: { body: string; type: string }) =>
  api(w, 'POST', '/v1/ingest', b.body, { 'content-type': b.type });

export async function ingestBatch(w: World): Promise<StepResult> {
  const rows = Array.from({ length: int(w, 1, 4) }, () => unitRow(w));
  const enc = encode(w, rows);
  expectStatus(await ingest(w, enc), [200], 'ingest');
  const model = rows.map((r) => ({ unit_id: r.unit_id, phone: r.phone_number_id, rate: r.rate }));
  for (const r of model) w.units.set(r.unit_id, { phone: r.phone, rate: r.rate });
  w.lastApplied = { ...enc, rows: model };
  w.batches.push(w.lastApplied);
  return {
    name: `ingest ${model.map((r) => `${r.unit_id}@${r.phone}=${r.rate}`).join(' ')}`,
    mayChange: true,
  };
}

export async function reingestBatch(w: World): Promise<StepResult> {
  if (w.batches.length === 0) return ingestBatch(w);
  // The batch applied last again changes nothing; an older one puts its versions back.
  const batch = w.rnd() < 0.6 ? w.batches[w.batches.length - 1]! : pick(w, w.batches);
  const unchanged = batch === w.lastApplied;
  const r = await ingest(w, batch);
  expectStatus(r, [200], 're-ingest');
  if (unchanged && (r.body.inserted !== 0 || r.body.updated !== 0))
    fail('the same batch again must change nothing', r.body);
  for (const u of batch.rows) w.units.set(u.unit_id, { phone: u.phone, rate: u.rate });
  w.lastApplied = batch;
  return { name: `re-ingest (${unchanged ? 'the last batch' : 'an older batch'})`, mayChange: !unchanged };
}

export async function hostileIngest(w: World): Promise<StepResult> {
  const rows = Array.from({ length: int(w, 0, 3) }, () => unitRow(w));
  const [label, over] = pick(w, HOSTILE);
  rows.splice(int(w, 0, rows.length), 0, { ...unitRow(w), ...over });
  const r = await ingest(w, encode(w, rows));
  expectStatus(r, [422], `hostile ingest (${label})`);
  return { name: `hostile ingest: ${label}`, mayChange: false };
}

async function settled(w: World, phone: string): Promise<bigint> {
  const [b] = await w.f.h.money.all<{ b: string }>(
    `SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6))::VARCHAR AS b FROM ledger_movements
      WHERE phone_number_id = $p AND status = 'settled' AND affects_balance`,
    { p: phone },
  );
  return micros(b!.b);
}

const cents = (m: bigint) => `${m / 1_000_000n}.${String((m % 1_000_000n) / 10_000n).padStart(2, '0')}`;

export async function refund(w: World): Promise<StepResult> {
  const phone = pick(w, PHONES);
  const path = `/v1/phone-numbers/${phone}/refunds`;
  const balance = await settled(w, phone);
  const roll = w.rnd();
  if (roll < 0.15 && w.refundKeys.length > 0) {
    const old = pick(w, w.refundKeys);
    const same = w.rnd() < 0.6;
    const body = same ? old.body : { ...old.body, amount: cents(micros(old.body.amount) + 10_000n) };
    const r = await api(w, 'POST', `/v1/phone-numbers/${old.phone}/refunds`, body, {
      'idempotency-key': old.key,
    });
    expectStatus(r, same ? [201] : [422], `refund retried with key ${old.key}`);
    if (same && !r.replayed) fail('a retried refund must be a replay', r.body);
    return { name: `refund retry ${old.key} (${same ? 'same' : 'other'} body)`, mayChange: false };
  }
  if (roll < 0.3) {
    const amount = pick(w, ['0', '0.00', '-5', '0.001', '10000000.01', 'abc', '1e2']);
    const r = await api(
      w,
      'POST',
      path,
      { amount, reason: 'hostile' },
      { 'idempotency-key': newKey(w, 'r') },
    );
    expectStatus(r, [400], `refund of ${amount}`);
    return { name: `refund of ${amount} (400)`, mayChange: false };
  }
  if (roll < 0.35) {
    expectStatus(await api(w, 'POST', path, { amount: '1' }), [400], 'refund without a key');
    return { name: 'refund without Idempotency-Key', mayChange: false };
  }
  const over = roll < 0.5 || balance < 10_000n;
  const amount = over
    ? cents((balance > 0n ? balance : 0n) + BigInt(int(w, 1, 5000)) * 10_000n)
    : cents(BigInt(int(w, 1, Number(balance / 10_000n))) * 10_000n);
  const body = { amount, reason: 'property' };
  const key = newKey(w, 'r');
  const tries = int(w, 1, 3);
  const answers = await Promise.all(
    Array.from({ length: tries }, () => api(w, 'POST', path, body, { 'idempotency-key': key })),
  );
  for (const a of answers) expectStatus(a, [over ? 409 : 201], `refund of ${amount} (balance ${balance})`);
  if (!over) {
    if (answers.filter((a) => !a.replayed).length !== 1) fail('one refund applies per key', answers);
    w.refunded.set(phone, w.refunded.get(phone)! + micros(amount));
    w.refundKeys.push({ key, phone, body });
  }
  return { name: `refund ${amount} on ${phone} ×${tries} → ${over ? 409 : 201}`, mayChange: !over };
}

export async function addFunds(w: World): Promise<StepResult> {
  const phone = pick(w, PHONES);
  if (w.rnd() < 0.2 && w.confirmKeys.length > 0) {
    const old = pick(w, w.confirmKeys);
    const again = w.rnd() < 0.7;
    const key = again ? old.key : newKey(w, 'c');
    const r = await api(
      w,
      'POST',
      `/v1/phone-numbers/${old.phone}/funds`,
      { quote_id: old.quoteId },
      {
        'idempotency-key': key,
      },
    );
    expectStatus(r, [again ? 202 : 409], again ? 'confirm retried' : 'quote confirmed twice');
    return { name: `confirm ${again ? 'retry' : 'of a used quote'} ${old.quoteId}`, mayChange: false };
  }
  const hostile = w.rnd() < 0.2;
  const amount = hostile
    ? pick(w, ['0', '-5', '0.0000001', '1e3', '10000000.01', ''])
    : cents(BigInt(int(w, 100, 40_000)) * 10_000n);
  const method = hostile ? 'card' : pick(w, ['card', 'bank_transfer', 'card', 'pix']);
  const q = await api(w, 'POST', `/v1/phone-numbers/${phone}/funds/quotes`, {
    mode: 'one_time',
    amount,
    payment_method: method,
  });
  if (hostile || method === 'pix') {
    expectStatus(q, [400], `quote of ${amount} by ${method}`);
    return { name: `quote of "${amount}" by ${method} (400)`, mayChange: false };
  }
  expectStatus(q, [201], 'quote');
  const key = newKey(w, 'c');
  const tries = int(w, 1, 3);
  const confirms = await Promise.all(
    Array.from({ length: tries }, () =>
      api(
        w,
        'POST',
        `/v1/phone-numbers/${phone}/funds`,
        { quote_id: q.body.quote_id },
        { 'idempotency-key': key },
      ),
    ),
  );
  for (const c of confirms) expectStatus(c, [202], 'confirm');
  if (new Set(confirms.map((c) => c.body.topup_id)).size !== 1) fail('one top-up per key', confirms);
  w.confirmKeys.push({ key, phone, quoteId: q.body.quote_id as string });
  return { name: `add ${amount} by ${method} on ${phone} ×${tries}`, mayChange: true };
}

export async function paymentWebhook(w: World): Promise<StepResult> {
  const pending = await w.f.h.money.all<{ topup_id: string }>(
    "SELECT topup_id FROM topups WHERE status = 'pending' ORDER BY topup_id",
  );
  const all = await w.f.h.money.all<{ topup_id: string }>('SELECT topup_id FROM topups ORDER BY topup_id');
  const target = pending.length > 0 && w.rnd() < 0.8 ? pick(w, pending) : all.length ? pick(w, all) : null;
  const roll = w.rnd();
  const event = {
    id: `evt_${++w.serial}`,
    type: roll < 0.2 ? 'payment.failed' : 'payment.succeeded',
    topup_id: target?.topup_id ?? 'tu_unknown',
  };
  const raw = JSON.stringify(event);
  const forged = w.rnd() < 0.1;
  const signature = await signPayload(forged ? 'not-the-secret' : ENV.SIGNING_SECRET, raw);
  const headers = { 'content-type': 'application/json', 'x-signature': signature };
  const tries = int(w, 1, 4);
  const answers = await Promise.all(
    Array.from({ length: tries }, () => api(w, 'POST', '/v1/payments/webhook', raw, headers)),
  );
  const want = forged ? 401 : target ? 200 : 404;
  for (const a of answers) expectStatus(a, [want], `${event.type} for ${event.topup_id}`);
  if (want === 200 && answers.filter((a) => a.body.changed).length > 1)
    fail('one webhook changes a top-up', answers);
  const wasPending = pending.some((p) => p.topup_id === target?.topup_id);
  const label = `${forged ? 'forged ' : ''}${event.type} ×${tries} for a ${wasPending ? 'pending' : 'closed'} top-up`;
  return { name: label, mayChange: want === 200 && wasPending };
}

export async function runJobs(w: World): Promise<StepResult> {
  const deps = w.f.jobDeps;
  w.f.h.clock.advance(w.rnd() < 0.7 ? SETTLEMENT_MS + 1000 : int(w, 1, 10) * 60_000);
  const n = await settleDueTopUps(deps);
  await checkAllRenewals(deps);
  return { name: `settlement and renewal jobs (${n} settled)`, mayChange: true };
}

export async function autoRenewal(w: World): Promise<StepResult> {
  const phone = pick(w, PHONES);
  const hostile = w.rnd() < 0.2;
  const body = hostile
    ? pick(w, [
        { threshold: '-1' },
        { amount: '0' },
        { amount: '1e9' },
        { monthly_cap: '-3' },
        { mode: 'all' },
      ])
    : {
        enabled: w.rnd() < 0.6,
        threshold: `${int(w, 0, 60)}`,
        amount: `${int(w, 20, 400)}`,
        mode: pick(w, ['fixed', 'target']),
        payment_method: pick(w, ['card', 'bank_transfer']),
      };
  const r = await api(w, 'PUT', `/v1/phone-numbers/${phone}/auto-renewal`, body, {
    'idempotency-key': newKey(w, 'a'),
  });
  expectStatus(r, [hostile ? 400 : 200], `auto-renewal ${JSON.stringify(body)}`);
  return { name: `auto-renewal on ${phone} ${JSON.stringify(body)}`, mayChange: !hostile };
}

export const STEPS: [number, (w: World) => Promise<StepResult>][] = [
  [5, ingestBatch],
  [2, reingestBatch],
  [2, hostileIngest],
  [4, refund],
  [4, addFunds],
  [3, paymentWebhook],
  [3, runJobs],
  [2, autoRenewal],
];

export function nextStep(w: World): (w: World) => Promise<StepResult> {
  const total = STEPS.reduce((s, [n]) => s + n, 0);
  let x = w.rnd() * total;
  for (const [n, step] of STEPS) if ((x -= n) < 0) return step;
  return STEPS[0]![1];
}
