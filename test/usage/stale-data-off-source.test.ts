/**
 * The stale-data job runs on whichever replica holds its lease. On one that is not the usage source (two apps on
 * one PGlite money plane, each with its own DuckDB) its own data_feed is empty: the job, as startup.ts runs it,
 * reads the published feed there and raises the stale_data alerts the source would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppServices, withDomainContext } from '../../worker/app-services.js';
import { normalizeConfig } from '../../worker/config.js';
import { silentLogger } from '../../worker/env.js';
import { nodeHost } from '../../worker/node-host.js';
import { backgroundJobs } from '../../worker/startup.js';
import { checkStaleData } from '../../worker/usage/stale-data-job.js';
import { offSourcePair, type OffSourcePair } from '../helpers/off-source-pair.js';

const NOW = '2026-11-20T12:00:00Z';

describe('worker/usage/stale-data-job off the usage source', () => {
  let p: OffSourcePair;
  beforeAll(async () => {
    p = await offSourcePair({ waba: 'WS', now: NOW, units: 30 });
  }, 120_000);
  afterAll(() => p?.close());

  it('raises stale_data for the numbers the source has data of, from the published feed', async () => {
    // An hour's silence is stale; the last units are 8 h and 32 h old.
    const config = normalizeConfig({ STALE_DATA_AFTER_MS: String(3_600_000) });
    const { replica } = p;
    expect(await replica.db.all('SELECT * FROM data_feed')).toEqual([]);
    // Its own feed alone would tell of no number.
    expect(await checkStaleData({ ...replica, config })).toBe(0);
    const job = backgroundJobs.find((j) => j.name === 'stale-data');
    const deps = withDomainContext({
      db: replica.db,
      money: replica.money,
      clock: replica.clock,
      config,
      log: silentLogger,
      services: buildAppServices({ db: replica.db, money: replica.money }, config),
      host: nodeHost(replica.db),
    });
    await job!.run(deps);
    const alerts = await replica.money.all<{ phone_number_id: string }>(
      `SELECT phone_number_id FROM alerts WHERE kind = 'stale_data' ORDER BY 1`,
    );
    expect(alerts.map((a) => a.phone_number_id)).toEqual([...p.phones]);
  });
});
