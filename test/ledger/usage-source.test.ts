/**
 * worker/ledger/usage-source: two apps, each with its own in-memory DuckDB analytics, share one PGlite money
 * plane, as replicas share a Postgres server. The first to ingest claims the usage source; the other's ingest is
 * refused with 409 not_usage_source before anything is written on either plane, and its drift repair (which
 * would undo the source's charges, since its analytics never saw the usage) is refused inside the money
 * transaction. CLAIM_USAGE_SOURCE moves the claim, after which the old source is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import { NotUsageSourceError } from '../../worker/errors.js';
import { repairDrift } from '../../worker/funding/repair-drift.js';
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { analyticsId, claimUsageSource } from '../../worker/ledger/usage-source.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';
const NOW = '2026-11-20T12:00:00Z';

function usageCsv(count: number): string {
  const lines = Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.parse('2026-11-02T09:00:00Z') + i * 7 * 3_600_000).toISOString();
    return `u-${i},PMP,message,WE,E1,49151123${String(i).padStart(5, '0')},marketing_lite,${at},true,0.0913`;
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

const ingest = (h: Harness, key: string, csv: string) =>
  h.json('POST', '/v1/ingest', { token: key, body: csv, headers: { 'content-type': 'text/csv' } });

describe('one analytics store is the usage source of a money plane', () => {
  const open: Harness[] = [];
  afterEach(async () => {
    // The second app shares the first one's money plane: it closes first.
    for (const h of open.reverse()) await h.close();
    open.length = 0;
  });

  it('the first store claims; the other is refused before anything is written, until it takes over', async () => {
    const a = await createHarness({ env: { STORE: 'pglite', REPLICA_ID: 'a' }, now: NOW });
    open.push(a);
    const b = await createHarness({ env: { STORE: 'pglite', REPLICA_ID: 'b' }, now: NOW, money: a.money });
    open.push(b);
    expect(await analyticsId(a.db)).not.toBe(await analyticsId(b.db));
    const key = await a.partner('acme');
    await a.waba(key, { waba_id: 'WE', timezone: 'Europe/Berlin', currency: 'EUR' }, ['E1']);
    const start = await a.json('PUT', '/v1/phone-numbers/E1/account-start', {
      token: key,
      body: { starts_on: '2026-11-01' },
    });
    expect(start.status).toBe(200);

    expect((await ingest(a, key, usageCsv(60))).status).toBe(200);
    const ledger = () =>
      a.money.all<{ total: string; n: string }>(
        `SELECT coalesce(sum(amount), 0)::VARCHAR AS total, count(*)::VARCHAR AS n FROM ledger_movements`,
      );
    const charged = await ledger();
    expect(charged[0]!.total).toBe('-5.478000'); // 60 × 0.0913
    expect(await a.money.all('SELECT claimed_by FROM usage_source')).toEqual([{ claimed_by: 'a' }]);

    const refused = await ingest(b, key, usageCsv(60));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('not_usage_source');
    expect(JSON.stringify(refused.body)).toContain('CLAIM_USAGE_SOURCE=true');
    expect(await b.db.all('SELECT count(*)::INTEGER AS n FROM usage_daily')).toEqual([{ n: 0 }]);
    expect(await ledger()).toEqual(charged);
    expect((await b.json('GET', '/v1/reconciliation', { token: key })).status).toBe(409);

    // B's analytics never saw the usage: its repair would undo every charge. It is refused in the money tx.
    const domain = domainContextOf({ clock: systemClock, config: normalizeConfig({}) });
    await expect(repairDrift({ db: b.db, money: b.money }, {}, domain)).rejects.toBeInstanceOf(
      NotUsageSourceError,
    );
    expect(await ledger()).toEqual(charged);
    // Without the setting, B's startup claim leaves A the source.
    expect(await claimUsageSource(b, 'b', new Date(NOW))).toMatchObject({ source: false });

    // CLAIM_USAGE_SOURCE=true (after a rebuild, say) moves the claim to B; A is then refused.
    const takeOver = normalizeConfig({ CLAIM_USAGE_SOURCE: 'true' }).claimUsageSource;
    const moved = await claimUsageSource(b, 'b', new Date(NOW), takeOver);
    expect(moved).toMatchObject({ source: true, replaced: { claimed_by: 'a' } });
    expect(await a.money.all('SELECT claimed_by FROM usage_source')).toEqual([{ claimed_by: 'b' }]);
    const old = await ingest(a, key, usageCsv(61));
    expect(old.status).toBe(409);
    expect(await a.db.all(`SELECT count(*)::INTEGER AS n FROM usage_daily`)).not.toEqual([{ n: 0 }]);
    await expect(repairDrift({ db: a.db, money: a.money }, {}, domain)).resolves.toMatchObject({
      numbers_reposted: [],
    });
    expect(await ledger()).toEqual(charged);
  }, 120_000);

  it('with one store (STORE=duckdb) there is no source to claim', async () => {
    const h = await createHarness({ env: { STORE: 'duckdb' } });
    open.push(h);
    expect(await claimUsageSource(h, 'x', new Date(NOW))).toEqual({ source: true });
    expect(normalizeConfig({}).claimUsageSource).toBe(false);
  });
});
