/**
 * The world of the money property test: a seeded generator, one fresh store (a partner with one EUR WABA and
 * two numbers, real DuckDB, the real app) and what the test itself knows was sent: the last version of every
 * unit it ingested and every refund the API accepted. The invariants are checked against this model and
 * against the store read directly with SQL, never against the API's own sums alone.
 */
import { createPrng } from '../../worker/forecast/prng.js';
import { createFixture, type Fixture } from '../funding/fixtures.js';

/** mulberry32 (the product's own PRNG): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  return createPrng(seed).uniform;
}

export const PHONES = ['P1', 'P2'] as const;
export const SETTLEMENT_MS = 30 * 60 * 1000;

export interface Batch {
  readonly body: string;
  readonly type: string;
  readonly rows: readonly { unit_id: string; phone: string; rate: string }[];
}

export interface World {
  readonly f: Fixture;
  readonly rnd: () => number;
  /** The last version of each ingested unit: its number and rate (every unit here is paid). */
  readonly units: Map<string, { phone: string; rate: string }>;
  /** Sum of the refunds the API accepted per number, in micro-units. */
  readonly refunded: Map<string, bigint>;
  /** Keys already used, with the request each carried, so a step can retry one. */
  readonly refundKeys: { key: string; phone: string; body: { amount: string; reason: string } }[];
  readonly confirmKeys: { key: string; phone: string; quoteId: string }[];
  /** Every accepted batch, and the one applied last (sending that one again must change nothing). */
  readonly batches: Batch[];
  lastApplied: Batch | null;
  serial: number;
}

export async function createWorld(seed: number): Promise<World> {
  // Card payments above 300 fail at settlement, so failed top-ups are part of every run.
  const f = await createFixture([...PHONES], '2025-08-15T12:00:00Z', { SIMULATED_CARD_LIMIT: '300' });
  return {
    f,
    rnd: seededRandom(seed),
    units: new Map(),
    refunded: new Map(PHONES.map((p) => [p, 0n])),
    refundKeys: [],
    confirmKeys: [],
    batches: [],
    lastApplied: null,
    serial: 0,
  };
}

export const pick = <T>(w: World, xs: readonly T[]): T => xs[Math.floor(w.rnd() * xs.length)]!;
export const int = (w: World, lo: number, hi: number): number => lo + Math.floor(w.rnd() * (hi - lo + 1));

/** Exact decimal → micro-units (the test's own conversion, independent of the service's). */
export function micros(s: string): bigint {
  const m = /^(-)?(\d+)(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${s}`);
  const v = BigInt(m[2]!) * 1_000_000n + BigInt((m[3] ?? '').padEnd(6, '0'));
  return m[1] ? -v : v;
}

/** A JSON call through the real app as the partner, with optional extra headers. */
export async function api(
  w: World,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; replayed: boolean }> {
  const res = await w.f.h.call(method, path, { token: w.f.key, body, headers });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    replayed: res.headers.get('idempotent-replayed') === 'true',
  };
}

/**
 * Everything money-related the store holds, read with SQL: compared before and after a refused or replayed
 * request (a repeated batch is still recorded as a batch, so batches are not part of it).
 */
export async function moneySnapshot(w: World): Promise<string> {
  const money = await w.f.h.money.all(
    `SELECT (SELECT count(*) FROM ledger_movements)::INTEGER AS movements,
            (SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6)) FROM ledger_movements
              WHERE status = 'settled' AND affects_balance)::VARCHAR AS settled,
            (SELECT count(*) FROM topups)::INTEGER AS topups,
            (SELECT count(*) FILTER (WHERE status = 'settled') FROM topups)::INTEGER AS topups_settled`,
  );
  const usage = await w.f.h.db.all(
    `SELECT (SELECT count(*) FROM units)::INTEGER AS units,
            (SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6)) FROM units)::VARCHAR AS unit_amounts`,
  );
  const rows = [{ ...money[0], ...usage[0] }];
  return JSON.stringify(rows[0]);
}
