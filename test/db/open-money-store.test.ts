/**
 * The money store's settings (STORE, DATABASE_URL, PGLITE_DIR in normalizeConfig) and openMoneyStore: PGlite in a
 * folder that keeps its data across a reopen, and a Postgres server migrated by several stores at once; the
 * migrations are recorded, applied once, and a failing one leaves nothing.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, normalizeConfig } from '../../worker/config.js';
import { openMoneyStore } from '../../worker/db/open-money-store.js';
import { migratePg } from '../../worker/db/pg-migrate.js';
import { fileServer, stopFileServer, storeSkipped } from '../helpers/store-kinds.js';

const MONEY_TABLES = [
  'alert_deliveries',
  'alert_states',
  'alert_subscriptions',
  'alerts',
  'api_keys',
  'auto_renewals',
  'balance_starts',
  'emergency_drops',
  'funding_audit',
  'funding_quotes',
  'gate_customer_state',
  'gate_hold_locks',
  'gate_holds',
  'gate_state_log',
  'gate_usage_marks',
  'idempotency_keys',
  'job_leases',
  'ledger_movements',
  'partner_origins',
  'partners',
  'phone_numbers',
  'published_data_feed',
  'published_usage_head',
  'published_usage_months',
  'published_usage_parts',
  'schema_migrations',
  'topups',
  'usage_source',
  'waba_alert_states',
  'wabas',
];
/** Every file of the money plane's migrations, each recorded once. */
const PG_MIGRATIONS = readdirSync(join(import.meta.dirname, '../../worker/db/pg-migrations'))
  .filter((f) => f.endsWith('.sql'))
  .sort();
const TABLES_SQL =
  "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1";

afterAll(stopFileServer);

describe('worker/config: the money store settings', () => {
  it('defaults to the DuckDB file; PGlite in a folder beside it, in memory for an in-memory store', () => {
    expect(normalizeConfig({}).moneyStore).toEqual({ kind: 'duckdb' });
    expect(normalizeConfig({ STORE: 'pglite' }).moneyStore).toEqual({
      kind: 'pglite',
      dir: '.data/money-pglite',
    });
    expect(normalizeConfig({ STORE: 'pglite', DB_PATH: '/data/x.duckdb' }).moneyStore).toEqual({
      kind: 'pglite',
      dir: '/data/money-pglite',
    });
    expect(normalizeConfig({ STORE: 'pglite', DB_PATH: ':memory:' }).moneyStore).toEqual({
      kind: 'pglite',
      dir: null,
    });
    expect(normalizeConfig({ STORE: 'pglite', PGLITE_DIR: '/srv/pg' }).moneyStore).toEqual({
      kind: 'pglite',
      dir: '/srv/pg',
    });
  });

  it('takes a Postgres server from DATABASE_URL', () => {
    const url = 'postgres://app:s3cret@db.internal:5432/money';
    expect(normalizeConfig({ DATABASE_URL: url }).moneyStore).toEqual({ kind: 'postgres', url });
    expect(normalizeConfig({ STORE: 'postgres', DATABASE_URL: url }).moneyStore).toEqual({
      kind: 'postgres',
      url,
    });
  });

  it('refuses an unknown store, postgres without a URL, a malformed URL, and a URL with STORE=pglite', () => {
    expect(() => normalizeConfig({ STORE: 'mysql' })).toThrow(/STORE must be duckdb, pglite or postgres/);
    expect(() => normalizeConfig({ STORE: 'postgres' })).toThrow(/STORE=postgres needs DATABASE_URL/);
    expect(() => normalizeConfig({ DATABASE_URL: 'db.internal:5432' })).toThrow(ConfigError);
    expect(() => normalizeConfig({ DATABASE_URL: 'mysql://u:p@h/db' })).toThrow(/must be postgres:\/\//);
    expect(() => normalizeConfig({ DATABASE_URL: 'not a url with s3cret' })).toThrow(/is not a URL/);
    // The password never appears in the error.
    expect(() => normalizeConfig({ DATABASE_URL: 'http://u:s3cret@h/db' })).not.toThrow(/s3cret/);
    expect(() => normalizeConfig({ STORE: 'pglite', DATABASE_URL: 'postgres://h/db' })).toThrow(/unset one/);
    expect(() => normalizeConfig({ STORE: 'duckdb', DATABASE_URL: 'postgres://h/db' })).toThrow(/unset one/);
  });
});

describe('worker/db/open-money-store: pglite', () => {
  it('creates the money tables in a folder and finds its data there after a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'money-pglite-'));
    try {
      const config = normalizeConfig({ STORE: 'pglite', PGLITE_DIR: join(dir, 'pg') });
      const first = await openMoneyStore(config);
      await expect(openMoneyStore(config)).rejects.toThrow(/already open in this process/);
      expect((await first.all<{ t: string }>(TABLES_SQL)).map((r) => r.t)).toEqual(MONEY_TABLES);
      await first.run("INSERT INTO partners VALUES ('p1', 'Partner', TIMESTAMPTZ '2026-01-01 00:00:00+00')");
      expect((await first.columns('SELECT amount FROM ledger_movements')).types).toEqual(['DECIMAL(18,6)']);
      await first.close();

      const again = await openMoneyStore(config);
      expect(await migratePg(again)).toEqual([]);
      expect(await again.all('SELECT partner_id, created_at FROM partners')).toEqual([
        { partner_id: 'p1', created_at: '2026-01-01 00:00:00+00' },
      ]);
      expect(await again.all('SELECT name FROM schema_migrations ORDER BY name')).toEqual(
        PG_MIGRATIONS.map((name) => ({ name })),
      );
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const skipped = storeSkipped('postgres');
describe.skipIf(skipped !== null)(
  `worker/db/open-money-store: postgres${skipped ? ` (${skipped})` : ''}`,
  () => {
    it('four stores migrating one database at once apply each file once', async () => {
      const url = await freshDatabase('money_race');
      const stores = await Promise.all(
        [1, 2, 3, 4].map(() => openMoneyStore(normalizeConfig({ DATABASE_URL: url }))),
      );
      try {
        const [one] = stores;
        expect((await one!.all<{ t: string }>(TABLES_SQL)).map((r) => r.t)).toEqual(MONEY_TABLES);
        expect(await one!.all('SELECT count(*) AS n FROM schema_migrations')).toEqual([
          { n: String(PG_MIGRATIONS.length) },
        ]);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('a failing migration file leaves nothing of its run', async () => {
      const url = await freshDatabase('money_bad');
      const store = await openMoneyStore(normalizeConfig({ DATABASE_URL: url }));
      const dir = await mkdtemp(join(tmpdir(), 'pg-migrations-'));
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, '101_ok.sql'), 'CREATE TABLE probe_ok (id INTEGER);');
        await writeFile(join(dir, '102_bad.sql'), 'CREATE TABLE probe_bad (id INTEGR);');
        await expect(migratePg(store, dir)).rejects.toThrow(/integr/);
        expect(await store.all("SELECT to_regclass('probe_ok') AS t")).toEqual([{ t: null }]);
        expect(await store.all("SELECT count(*) AS n FROM schema_migrations WHERE name LIKE '10%'")).toEqual([
          { n: '0' },
        ]);
      } finally {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);

/** A new, empty database on the file's server; its URL. */
async function freshDatabase(name: string): Promise<string> {
  const base = (await fileServer()).url;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
