/**
 * The alert table on a real store: level alerts once per crossing until cleared, events every time, WABA alerts
 * once per scope key, and one pending delivery per live subscription of the partner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearAlert, raiseAlert, raiseWabaAlert } from '../../worker/alerts/alert-table.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { NOW, storeWithTenants } from '../tenancy/store-tenancy.js';

describe('worker/alerts/alert-table', () => {
  let db: DuckDbStore;
  const count = async (sql: string, params?: Record<string, string>) =>
    (await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${sql}`, params))[0]?.n;
  beforeAll(async () => {
    db = await storeWithTenants();
    await db.run(
      `INSERT INTO alert_subscriptions (subscription_id, partner_id, url, secret, created_at)
       VALUES ('sub_1', 'acme', 'https://hooks.acme.test/a', 's', now())`,
    );
  });
  afterAll(() => db.close());

  const low = (p: string) => ({ phone_number_id: p, kind: 'low_balance' as const, message: 'low', now: NOW });

  it('raises a level alert once per crossing and again after it was cleared', async () => {
    const first = await db.transaction((tx) => raiseAlert(tx, low('P1')));
    expect(first).toMatch(/^al_/);
    expect(await db.transaction((tx) => raiseAlert(tx, low('P1')))).toBeNull();
    await db.transaction((tx) => clearAlert(tx, 'P1', 'low_balance', NOW));
    expect(await db.transaction((tx) => raiseAlert(tx, low('P1')))).toMatch(/^al_/);
    expect(await count("alerts WHERE phone_number_id = 'P1'")).toBe(2);
  });

  it('queues one delivery per live subscription of the alert partner only', async () => {
    const id = await db.transaction((tx) => raiseAlert(tx, low('P2')));
    expect(await count('alert_deliveries WHERE alert_id = $id', { id: id ?? '' })).toBe(1);
    const other = await db.transaction((tx) => raiseAlert(tx, low('P3')));
    expect(await count('alert_deliveries WHERE alert_id = $id', { id: other ?? '' })).toBe(0);
  });

  it('fires renewal_failed every time, and nothing for an unknown number', async () => {
    const failed = { phone_number_id: 'P2', kind: 'renewal_failed' as const, message: 'failed', now: NOW };
    expect(await db.transaction((tx) => raiseAlert(tx, failed))).toMatch(/^al_/);
    expect(await db.transaction((tx) => raiseAlert(tx, failed))).toMatch(/^al_/);
    expect(await db.transaction((tx) => raiseAlert(tx, low('P9')))).toBeNull();
  });

  it('raises a WABA alert once per scope key, with the WABA and no number', async () => {
    const unpriced = (month: string) => ({
      waba_id: 'W1',
      kind: 'unpriced_units' as const,
      scope_key: month,
      message: 'unpriced',
      now: NOW,
    });
    expect(await db.transaction((tx) => raiseWabaAlert(tx, unpriced('2025-08')))).toMatch(/^al_/);
    expect(await db.transaction((tx) => raiseWabaAlert(tx, unpriced('2025-08')))).toBeNull();
    expect(await db.transaction((tx) => raiseWabaAlert(tx, unpriced('2025-09')))).toMatch(/^al_/);
    expect(
      await db.transaction((tx) => raiseWabaAlert(tx, { ...unpriced('2025-08'), waba_id: 'W9' })),
    ).toBeNull();
    const rows = await db.all<{ waba_id: string; phone_number_id: string | null; partner_id: string }>(
      "SELECT waba_id, phone_number_id, partner_id FROM alerts WHERE kind = 'unpriced_units'",
    );
    expect(rows).toEqual([
      { waba_id: 'W1', phone_number_id: null, partner_id: 'acme' },
      { waba_id: 'W1', phone_number_id: null, partner_id: 'acme' },
    ]);
  });
});
