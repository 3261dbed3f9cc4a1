/**
 * The runway on a replica that is not the usage source (two apps on one PGlite money plane, each with its own
 * DuckDB): GET …/runway, the hourly runway_short job and the "enough for N days" quote read the published
 * rollups there, so they answer what the source answers, although that replica's own rollups are empty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import { silentLogger } from '../../worker/env.js';
import { saveAutoRenewal } from '../../worker/funding/auto-renewal.js';
import { runRunwayAlertPass } from '../../worker/runway/runway-alert-job.js';
import type { Harness } from '../helpers/harness.js';
import { offSourcePair, type OffSourcePair } from '../helpers/off-source-pair.js';

const NOW = '2026-11-20T12:00:00Z';

describe('worker/runway off the usage source', () => {
  let p: OffSourcePair;
  let phone: string;
  beforeAll(async () => {
    // 80 days of usage, three units a day.
    p = await offSourcePair({ waba: 'WR', now: NOW, units: 240, firstTopUp: { amount: '3', at: NOW } });
    phone = p.phones[0];
  }, 120_000);
  afterAll(() => p?.close());

  const runway = async (h: Harness, q = '') => {
    const r = await h.json('GET', `/v1/phone-numbers/${phone}/runway${q}`, { token: p.key });
    expect(r.status).toBe(200);
    return r.body as Record<string, unknown>;
  };

  it('answers the source’s runway from the published rollups, its own being empty', async () => {
    expect(await p.replica.db.all('SELECT * FROM usage_daily')).toEqual([]);
    for (const q of ['', '?horizon_days=30']) {
      const want = await runway(p.source, q);
      expect((want.daily_spend_history as unknown[]).length).toBeGreaterThan(60);
      expect(want.runs_out).toMatchObject({ without_renewal: { p50: expect.any(String) } });
      expect(await runway(p.replica, q)).toEqual(want);
    }
  });

  it('the runway job raises runway_short on a replica holding its lease, as on the source', async () => {
    // A renewal capped below what the forecast spends: short whichever replica computes it.
    await p.source.money.transaction((tx) =>
      saveAutoRenewal(
        tx,
        phone,
        {
          enabled: true,
          threshold: '0.5',
          amount: '0.5',
          mode: 'fixed',
          monthly_cap: '0.5',
          payment_method: 'card',
          low_balance_threshold: null,
        },
        'test',
        p.source.clock.now(),
      ),
    );
    expect((await runway(p.source)).runway_short).toBe(true);
    await runRunwayAlertPass({
      db: p.replica.db,
      money: p.replica.money,
      clock: p.replica.clock,
      config: normalizeConfig({}),
      log: silentLogger,
    });
    expect(
      await p.source.money.all(
        `SELECT kind FROM alerts WHERE phone_number_id = $p AND kind = 'runway_short'`,
        { p: phone },
      ),
    ).toEqual([{ kind: 'runway_short' }]);
  });

  it('quotes "enough for N days" from the same spend', async () => {
    const quote = async (h: Harness) => {
      const r = await h.json('POST', `/v1/phone-numbers/${phone}/funds/quotes`, {
        token: p.key,
        body: { mode: 'one_time', days: 30, payment_method: 'bank_transfer' },
      });
      expect(r.status).toBe(201);
      const { quote_id: _id, ...rest } = r.body as Record<string, unknown>;
      return rest;
    };
    const want = await quote(p.source);
    expect(want.basis).toMatchObject({ kind: 'days', method: 'forecast' });
    expect(await quote(p.replica)).toEqual(want);
  });
});
