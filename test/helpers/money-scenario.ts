/**
 * The stage of the cross-store money scenarios (test/db/money-scenarios.test.ts): the tenancy they run on, usage
 * charges fed in as the rollups a derivation would leave, and a fingerprint of a store's money: every money table
 * read back in a fixed order, amounts as integer micro-units, random ids replaced by their order of appearance,
 * plus the balances and pending top-ups the ledger reads.
 */
import { expect } from 'vitest';
import type { Db, Queryable } from '../../worker/db/db.js';
import { planesOf } from '../../worker/db/planes.js';
import { postUsageCharges } from '../../worker/funding/post-usage-charges.js';
import type { DomainContext } from '../../worker/kernel/domain-context.js';
import { toMicros } from '../../worker/kernel/money.js';
import type { PhoneNumberRow } from '../../worker/auth/access.js';
import { balanceBreakdown } from '../../worker/ledger/breakdown.js';
import { pendingTopUps, settledBalance } from '../../worker/ledger/ledger.js';
import type { StoreKind } from './store-kinds.js';

/** One partner with an alert subscription; WABAs in three zones and currencies; five numbers. */
export async function seedTenancy(db: Db, now: Date): Promise<void> {
  const at = now.toISOString();
  await db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO partners (partner_id, name, created_at) VALUES ('p1', 'Partner', $at::TIMESTAMPTZ)`,
      {
        at,
      },
    );
    await tx.run(
      `INSERT INTO alert_subscriptions (subscription_id, partner_id, url, secret, created_at)
       VALUES ('sub-1', 'p1', 'https://hooks.example.com/alerts', 'sub-secret', $at::TIMESTAMPTZ)`,
      { at },
    );
    for (const [waba, tz, cur] of [
      ['w-sp', 'America/Sao_Paulo', 'BRL'],
      ['w-in', 'Asia/Kolkata', 'INR'],
      ['w-us', 'UTC', 'USD'],
    ] as const) {
      await tx.run(
        `INSERT INTO wabas (waba_id, partner_id, name, timezone, currency, created_at)
         VALUES ($w, 'p1', $w, $tz, $cur, $at::TIMESTAMPTZ)`,
        { w: waba, tz, cur, at },
      );
    }
    for (const [phone, waba] of [
      ['n1', 'w-sp'],
      ['n2', 'w-sp'],
      ['n3', 'w-in'],
      ['n4', 'w-us'],
      ['n5', 'w-us'],
    ] as const) {
      await tx.run(
        `INSERT INTO phone_numbers (phone_number_id, waba_id, display_phone_number, created_at)
         VALUES ($p, $w, $p, $at::TIMESTAMPTZ)`,
        { p: phone, w: waba, at },
      );
    }
  });
}

export interface DayCharge {
  readonly phone: string;
  /** WABA-local day, YYYY-MM-DD. */
  readonly day: string;
  /** What the day's paid usage costs now (replacing what an earlier derivation said). */
  readonly amount: string;
}

/**
 * Sets the days' usage charges on the analytics plane as a derivation would (committed first, as ingest commits
 * usage before it posts), then posts them to the ledger through the ledger's door in a money transaction.
 */
export async function postDayCharges(
  stores: { readonly analytics: Db; readonly money: Db },
  ctx: DomainContext,
  wabaId: string,
  charges: readonly DayCharge[],
): Promise<string[]> {
  const [waba] = await stores.money.all<{ currency: string }>(
    'SELECT currency FROM wabas WHERE waba_id = $w',
    {
      w: wabaId,
    },
  );
  await stores.analytics.transaction(async (tx) => {
    for (const c of charges) {
      await tx.run('DELETE FROM usage_daily WHERE phone_number_id = $p AND local_day = $d::DATE', {
        p: c.phone,
        d: c.day,
      });
      await tx.run(
        `INSERT INTO usage_daily (waba_id, phone_number_id, local_day, local_month, category, country, market,
            pricing_type, unit, currency, n_all, n_free, n_paid, amount)
         VALUES ($w, $p, $d::DATE, $m::DATE, 'marketing', 'BR', 'BR', 'regular', 'message', $cur, 1, 0, 1,
                 CAST($a AS DECIMAL(38, 6)))`,
        { w: wabaId, p: c.phone, d: c.day, m: `${c.day.slice(0, 7)}-01`, cur: waba!.currency, a: c.amount },
      );
    }
  });
  const months = [...new Set(charges.map((c) => `${c.day.slice(0, 7)}-01`))].sort();
  return stores.money.transaction((tx) =>
    postUsageCharges(
      planesOf({ db: stores.analytics, money: stores.money }, tx),
      months.map((month) => ({ waba_id: wabaId, month })),
      ctx,
    ),
  );
}

const ID = /\b(mv|tu|qt|au|al|dl)_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
const DECIMAL = /^-?\d+\.\d{6}$/;

/**
 * Replaces random ids by names: in order of first appearance where the order is the same on every store (the
 * ledger's append order, then the top-ups in that order), `prefix#?` elsewhere (ids nothing else refers to).
 */
class IdNames {
  private readonly names = new Map<string, string>();
  name(text: string, assign: boolean): string {
    return text.replace(ID, (id, prefix: string) => {
      let n = this.names.get(id);
      if (n === undefined) {
        if (!assign) return `${prefix}#?`;
        n = `${prefix}#${this.names.size + 1}`;
        this.names.set(id, n);
      }
      return n;
    });
  }
}

/** A row as text: decimals as integer micro-units, ids named, keys in a fixed order, no sequence number. */
function rowText(ids: IdNames, row: Record<string, unknown>, assign = false): string {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(row).sort()) {
    const v = row[k];
    // seq is where a row falls in a store's sequence; the request hash covers a random quote id.
    if (k !== 'seq' && k !== 'request_hash')
      out[k] = typeof v === 'string' && DECIMAL.test(v) ? `µ${toMicros(v)}` : v;
  }
  return ids.name(JSON.stringify(out), assign);
}

/**
 * The store's money, canonical: the ledger in append order, the top-ups in the order of their first ledger row,
 * then every other money table sorted by content; and each number's balance and pending top-ups in micro-units.
 */
export async function moneyFingerprint(
  db: Queryable,
  phones: readonly string[],
): Promise<Record<string, unknown>> {
  const ids = new IdNames();
  const out: Record<string, unknown> = {};
  const ledger = await db.all('SELECT * FROM ledger_movements ORDER BY seq');
  out.ledger_movements = ledger.map((r) => rowText(ids, r, true));
  const topups = await db.all(
    `SELECT t.* FROM topups t
       JOIN (SELECT topup_id, min(seq) AS first FROM ledger_movements GROUP BY topup_id) l
         ON l.topup_id = t.topup_id
      ORDER BY l.first`,
  );
  out.topups = topups.map((r) => rowText(ids, r, true));
  for (const table of [
    'funding_quotes',
    'idempotency_keys',
    'auto_renewals',
    'emergency_drops',
    'balance_starts',
    'funding_audit',
    'alerts',
    'alert_states',
    'alert_deliveries',
    'waba_alert_states',
    'gate_customer_state',
    'gate_state_log',
  ]) {
    // Table names from the list above, not from input.
    const rows = await db.all(`SELECT * FROM ${table}`);
    out[table] = rows.map((r) => rowText(ids, r)).sort();
  }
  const accounts: Record<string, unknown> = {};
  for (const p of phones) {
    accounts[p] = {
      balance: toMicros(await settledBalance(db, p)).toString(),
      pending: toMicros(await pendingTopUps(db, p)).toString(),
    };
  }
  out.accounts = accounts;
  const numbers = await db.all<PhoneNumberRow>(
    `SELECT p.phone_number_id, p.waba_id, p.display_phone_number, p.label, w.partner_id, w.timezone, w.currency
       FROM phone_numbers p JOIN wabas w ON w.waba_id = p.waba_id ORDER BY p.phone_number_id`,
  );
  out.breakdown = await balanceBreakdown(db, numbers);
  return out;
}

/** Every store's fingerprint equals DuckDB's (a store skipped here has none to compare). */
export function expectSameMoney(fingerprints: ReadonlyMap<StoreKind, unknown>): void {
  const base = fingerprints.get('duckdb');
  expect(base).toBeDefined();
  for (const [kind, fingerprint] of fingerprints)
    expect({ kind, fingerprint }).toEqual({ kind, fingerprint: base });
}
