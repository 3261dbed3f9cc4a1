/**
 * Every exported SQL constant and builder, put through DuckDB's binder (`EXPLAIN`) on a freshly migrated store:
 * a misspelt column, a wrong type or a bad join in a builder fails here rather than in the one request that
 * happens to build it. Fragments (expressions over an alias) are explained inside the smallest query that gives
 * the alias its table; builders with options are explained over the whole matrix of their options.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountStartsSql } from '../../worker/ledger/account-start.js';
import type { SqlParams } from '../../worker/db/db.js';
import { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { TENANT_TABLES, tenantTableQuery } from '../../worker/exports/tenant-tables.js';
import { OWN_ROLLUPS, PUBLISHED_ROLLUPS } from '../../worker/usage/rollup-tables.js';
import { APPEND_SQL, COMPACT_SQL, LOAD_SQL } from '../../worker/gate/gate-state-sql.js';
import { changedSql } from '../../worker/ingest/known-units.js';
import { TS_MACRO } from '../../worker/ingest/validate-staged-units.js';
import { marketSpansSql, prefixKeySql } from '../../worker/pricing/market-sql.js';
import { tierGroupSql } from '../../worker/pricing/portfolio-scope.js';
import { fallbackRateCategorySql } from '../../worker/pricing/rate-card.js';
import { freeTierCandidateSql, pricingTypeSql, regimeSql } from '../../worker/usage/classify-units.js';
import { SCOPE_ROWS, scopeParams, scopeRange } from '../../worker/kernel/waba-month.js';
import { buildTableQuery, GRANULARITIES, TABLE_GROUP_KEYS } from '../../worker/usage/table-query.js';
import { buildUsageQuery, GROUP_KEYS, MEASURES } from '../../worker/usage/usage-query.js';

describe('exported SQL binds on a migrated store', () => {
  let db: DuckDbStore;
  beforeAll(async () => {
    db = await DuckDbStore.open({ path: ':memory:' });
  });
  afterAll(() => db.close());

  /** Binds and plans without running; resolves to the plan's text, rejects with the binder's message. */
  const explain = async (sql: string, params?: SqlParams): Promise<string> => {
    const rows = await db.all<Record<string, string>>(`EXPLAIN ${sql}`, params);
    return JSON.stringify(rows);
  };

  it('the gate state statements', async () => {
    await explain(APPEND_SQL, { batch: '[]', now: 0n });
    await explain(COMPACT_SQL, { max: 0n });
    await explain(LOAD_SQL, { p: 'P1', c: null });
  });

  it('the scope rows and range', async () => {
    const params = scopeParams([{ waba_id: 'W1', month: '2025-08-01' }]);
    await explain(
      `SELECT u.unit_id FROM units u JOIN (${SCOPE_ROWS}) s ON s.waba_id = u.waba_id AND s.month = u.local_month
        WHERE ${scopeRange('u')}`,
      params,
    );
  });

  it('the unit classification fragments', async () => {
    await explain(`SELECT ${regimeSql('u', "DATE '2025-07-01'")} FROM units u`);
    await explain(`SELECT ${pricingTypeSql('u')} FROM units u`);
    await explain(`SELECT ${freeTierCandidateSql('u')} FROM units u`);
    await explain(`SELECT count(*) FROM units a JOIN units b USING (unit_id) WHERE ${changedSql('a', 'b')}`);
  });

  it('the account starts, markets, portfolios and rate fallbacks', async () => {
    await explain(accountStartsSql('SELECT phone_number_id FROM phone_numbers'));
    await explain(`SELECT ${prefixKeySql('u.recipient_wa_id')} AS pk FROM units u`);
    await explain(marketSpansSql(`SELECT ${prefixKeySql('u.recipient_wa_id')} AS pk FROM units u`));
    await explain(`SELECT ${tierGroupSql('w')} FROM wabas w`);
    await explain(
      `SELECT ${fallbackRateCategorySql('CAST(u.category AS VARCHAR)', 'u.pricing_model')} FROM units u`,
    );
  });

  it('the timestamp macro of the ingest', async () => {
    // A temp macro lives on its connection: create and use it on the writer, as the ingest does.
    await db.transaction(async (tx) => {
      await tx.run(TS_MACRO);
      await tx.all(`EXPLAIN SELECT ingest_ts('2025-08-01T10:00:00Z'), ingest_ts('1754042400')`);
    });
  });

  it('the usage measures over the rollups', async () => {
    for (const m of Object.values(MEASURES)) await explain(`SELECT ${m} FROM usage_daily`);
  });

  it('every usage query: granularity × measure × group keys', async () => {
    let n = 0;
    for (const granularity of ['month', 'day'] as const)
      for (const measure of ['usage', 'charges'] as const)
        for (const groupBy of [[], [...GROUP_KEYS], ...GROUP_KEYS.map((k) => [k])]) {
          const q = buildUsageQuery({
            phoneNumberIds: ['P1'],
            from: '2025-01-01',
            to: '2025-08-01',
            granularity,
            groupBy,
            measure,
          });
          await explain(q.sql, q.params);
          n++;
        }
    expect(n).toBe(2 * 2 * (2 + GROUP_KEYS.length));
  });

  it('every table query: granularity × zone × measure × group keys × paging × whole months', async () => {
    let n = 0;
    for (const granularity of GRANULARITIES)
      for (const tz of ['waba', 'UTC'])
        for (const measure of ['usage', 'charges'] as const)
          for (const groupBy of [[], [...TABLE_GROUP_KEYS], ...TABLE_GROUP_KEYS.map((k) => [k])])
            for (const [fromDay, toDay, limit] of [
              ['2025-01-01', '2025-08-31', null],
              ['2025-01-05', '2025-08-20', 100],
            ] as const) {
              const q = buildTableQuery({
                phoneNumberIds: ['P1', 'P2'],
                fromDay,
                toDay,
                granularity,
                tz,
                groupBy,
                measure,
                limit,
                offset: 0,
              });
              await explain(q.sql, q.params);
              n++;
            }
    expect(n).toBe(GRANULARITIES.length * 2 * 2 * (2 + TABLE_GROUP_KEYS.length) * 2);
  });

  it('every tenant table of the exports and the SQL sandbox, over its own and the published rollups', async () => {
    for (const rollups of [OWN_ROLLUPS, PUBLISHED_ROLLUPS])
      for (const table of TENANT_TABLES) {
        const q = tenantTableQuery(table, {
          phoneNumberIds: ['P1'],
          fromDay: '2025-01-01',
          toDay: '2025-08-31',
          rollups,
        });
        await explain(q.sql, q.params);
      }
  });

  it('reports what the binder refuses (the check can fail)', async () => {
    await expect(explain(`SELECT ${regimeSql('u', "DATE '2025-07-01'")} FROM wabas u`)).rejects.toThrow();
  });
});
