/**
 * The tenancy with the money plane in a store of its own (PGlite) and the analytics plane in DuckDB: writes
 * land in money and are mirrored into analytics, numbers an ingest meets reach money, and the startup catch-up
 * repairs a mirror that missed a write or money that missed an ingest's numbers. With one store (STORE=duckdb)
 * nothing is copied or written twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDomainContext } from '../../worker/app-services.js';
import { catchUpTenancyMirror } from '../../worker/billing/catch-up-tenancy-mirror.js';
import { normalizeConfig } from '../../worker/config.js';
import type { Queryable } from '../../worker/db/db.js';
import { silentLogger } from '../../worker/env.js';
import { registerPhones } from '../../worker/ingest/register-phones.js';
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { localIngestLake } from '../../worker/lake/local-ingest-lake.js';
import { nodeHost } from '../../worker/node-host.js';
import { startup } from '../../worker/startup.js';
import { MIRROR_ORDER, readTenancyRows } from '../../worker/tenancy/mirror-tenancy.js';
import { refreshTenancyMirror } from '../../worker/tenancy/refresh-tenancy-mirror.js';
import { createPhoneNumber, createWaba, updatePhoneLabel } from '../../worker/tenancy/wabas.js';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';
import { rec, toCsv } from '../ingest/fixtures.js';
import { envelope, lines, pmp, status } from '../ingest/webhook-fixtures.js';

const NOW = new Date('2025-08-15T12:00:00Z');
const ids = async (q: Queryable, table: 'partners' | 'wabas' | 'phone_numbers') =>
  (await readTenancyRows(q, table, null)).map((r) => Object.values(r)[0]);

/** Every mirrored table of both planes, row for row. */
async function expectMirrorEqual(h: Harness): Promise<void> {
  for (const table of MIRROR_ORDER)
    expect(await readTenancyRows(h.db, table, null), table).toEqual(
      await readTenancyRows(h.money, table, null),
    );
}

describe('worker/tenancy with split planes (money on PGlite, analytics on DuckDB)', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await createHarness({ env: { STORE: 'pglite' } });
    key = await h.partner('acme', ['https://acme.test']);
    await h.waba(key, { waba_id: 'W1', timezone: 'America/Los_Angeles' }, ['P1']);
  });
  afterAll(() => h.close());

  it('keeps the planes apart', () => {
    expect(h.money).not.toBe(h.db);
  });

  it('puts a partner, WABA and number created over HTTP in both planes, keys and origins in money only', async () => {
    expect(await ids(h.money, 'partners')).toEqual(['acme']);
    expect(await ids(h.money, 'wabas')).toEqual(['W1']);
    expect(await ids(h.money, 'phone_numbers')).toEqual(['P1']);
    await expectMirrorEqual(h);
    const [w] = await readTenancyRows(h.db, 'wabas', ['W1']);
    expect(w).toMatchObject({ timezone: 'America/Los_Angeles', currency: 'USD', pmp_from: '2025-07-01' });
    expect(await h.money.all('SELECT key_id FROM api_keys')).toHaveLength(1);
    expect(await h.db.all('SELECT key_id FROM api_keys')).toHaveLength(0);
    expect(await h.db.all('SELECT origin FROM partner_origins')).toHaveLength(0);
    const p = await h.json('GET', '/v1/partners/acme', { token: ADMIN });
    expect(p.body.allowed_origins).toEqual(['https://acme.test']);
    expect(p.body.created_at).toBe('2025-08-15T12:00:00Z');
  });

  it('mirrors renames, labels and portfolio moves', async () => {
    await h.waba(key, { waba_id: 'W2', timezone: 'UTC' }, ['P2']);
    const patch = await h.json('PATCH', '/v1/wabas/W2', {
      token: key,
      body: { name: 'Second', portfolio_id: 'W1' },
    });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ name: 'Second', portfolio_id: 'W1' });
    const label = await h.json('PATCH', '/v1/phone-numbers/P2', { token: key, body: { label: 'support' } });
    expect(label.body.label).toBe('support');
    await expectMirrorEqual(h);
    const [w2] = await readTenancyRows(h.db, 'wabas', ['W2']);
    expect(w2).toMatchObject({ name: 'Second', portfolio_id: 'W1' });
  });

  it('authenticates from money: a revoked key stops at once, CORS reads the origins there', async () => {
    const r = await h.json('POST', '/v1/partners/acme/api-keys', { token: ADMIN, body: { label: 'x' } });
    expect((await h.call('GET', '/v1/wabas', { token: r.body.api_key })).status).toBe(200);
    await h.call('DELETE', `/v1/partners/acme/api-keys/${r.body.key_id}`, { token: ADMIN });
    expect((await h.call('GET', '/v1/wabas', { token: r.body.api_key })).status).toBe(401);
    const pre = await h.call('OPTIONS', '/v1/usage', {
      headers: { origin: 'https://acme.test', 'access-control-request-method': 'GET' },
    });
    expect(pre.status).toBe(204);
  });

  it('registers in money the numbers an ingest meets, from CSV and from webhooks', async () => {
    const csv = toCsv([rec('u-1', { phone_number_id: 'P-new' })]);
    const r = await h.json('POST', '/v1/ingest', {
      token: key,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(r.status).toBe(200);
    expect(r.body.phone_numbers_registered).toBe(1);
    const webhook = envelope('W1', 'P-hook', [
      status('wamid.1', 'delivered', '2025-08-01T10:00:00Z', pmp('marketing')),
    ]);
    const w = await h.json('POST', '/v1/ingest?format=webhooks', { token: key, body: lines(webhook) });
    expect(w.status).toBe(200);
    expect(w.body.phone_numbers_registered).toBe(1);
    expect(await ids(h.money, 'phone_numbers')).toEqual(['P-hook', 'P-new', 'P1', 'P2']);
    await expectMirrorEqual(h);
    // Access checks read money: the partner sees its new numbers.
    expect((await h.call('GET', '/v1/phone-numbers/P-new', { token: key })).status).toBe(200);
  });

  it('catches up a mirror that missed writes committed in money (a stop between the two commits)', async () => {
    // What a write does before its mirror step: money only.
    await h.money.transaction(async (tx) => {
      await createWaba(
        tx,
        'acme',
        { waba_id: 'W3', name: 'Third', timezone: 'Asia/Tokyo', currency: 'JPY' },
        NOW,
      );
      await createPhoneNumber(tx, { phone_number_id: 'P3', waba_id: 'W3', label: 'new' }, NOW);
      await updatePhoneLabel(tx, 'P1', 'renamed');
      await tx.run("UPDATE wabas SET portfolio_id = NULL WHERE waba_id = 'W2'");
    });
    expect(await ids(h.db, 'wabas')).toEqual(['W1', 'W2']);
    const lakeDir = await mkdtemp(join(tmpdir(), 'mirror-lake-'));
    try {
      const config = normalizeConfig({});
      const deps = {
        db: h.db,
        money: h.money,
        domain: domainContextOf({ clock: h.clock, config }),
        host: { ingestLake: localIngestLake(lakeDir, silentLogger) },
      };
      const r = await catchUpTenancyMirror(deps);
      expect(r?.copied).toEqual({ wabas: ['W2', 'W3'], phone_numbers: ['P1', 'P3'] });
      // W2 left W1's portfolio: the volume tiers of both change.
      expect(r?.repriceWabas).toEqual(['W1', 'W2']);
      await expectMirrorEqual(h);
      // The lake's reference log holds the copied rows.
      const [log] = await h.db.all<{ n: number }>(
        'SELECT count(*)::INTEGER AS n FROM lake_reference_changes',
      );
      expect(log?.n).toBeGreaterThan(0);
      // Nothing left to do the second time.
      const again = await catchUpTenancyMirror(deps);
      expect(again).toMatchObject({ copied: {}, registeredInMoney: 0, conflicts: [] });
    } finally {
      await rm(lakeDir, { recursive: true, force: true });
    }
  });

  it('catches the mirror up when the service starts', async () => {
    await h.money.transaction((tx) => updatePhoneLabel(tx, 'P3', 'while stopped'));
    const config = normalizeConfig({ STORE: 'pglite', DB_PATH: ':memory:' });
    const deps = withDomainContext({
      db: h.db,
      money: h.money,
      clock: h.clock,
      config,
      log: silentLogger,
      services: h.services,
      host: nodeHost(h.db),
    });
    const stop = await startup(deps, 'test');
    await stop();
    const [p3] = await readTenancyRows(h.db, 'phone_numbers', ['P3']);
    expect(p3?.label).toBe('while stopped');
  });

  it('registers in money the numbers an ingest registered in analytics only, never dropping them', async () => {
    // An ingest stopped after its analytics commit, before its money registration ran.
    await h.db.transaction((tx) =>
      registerPhones(
        tx,
        "(SELECT 'P-lost' AS phone_number_id, 'W1' AS waba_id, NULL AS display_phone_number)",
        NOW,
      ),
    );
    // And one under a WABA money does not know (left alone, counted).
    await h.db.run(
      `INSERT INTO wabas (waba_id, partner_id, name, timezone, currency, created_at)
       VALUES ('W-ghost', 'acme', 'ghost', 'UTC', 'USD', now())`,
    );
    await h.db.run("INSERT INTO phone_numbers VALUES ('P-ghost', 'W-ghost', NULL, NULL, now())");
    expect(await ids(h.money, 'phone_numbers')).not.toContain('P-lost');
    const r = await refreshTenancyMirror(h.money, h.db);
    expect(r).toMatchObject({ registeredInMoney: 1, unknownWaba: 1 });
    expect(await ids(h.money, 'phone_numbers')).toContain('P-lost');
    expect(await ids(h.db, 'phone_numbers')).toEqual(expect.arrayContaining(['P-lost', 'P-ghost']));
    const [lost] = await readTenancyRows(h.money, 'phone_numbers', ['P-lost']);
    expect(lost).toMatchObject({ waba_id: 'W1', created_at: '2025-08-15 12:00:00+00' });
    expect((await h.call('GET', '/v1/phone-numbers/P-lost', { token: key })).status).toBe(200);
  });
});

describe('worker/tenancy with one store (STORE=duckdb)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ env: { STORE: 'duckdb' } });
    const key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
    const r = await h.json('POST', '/v1/ingest', {
      token: key,
      body: toCsv([rec('u-1', { waba_id: 'W1', waba_timezone: 'UTC', phone_number_id: 'P2' })]),
      headers: { 'content-type': 'text/csv' },
    });
    expect(r.body.phone_numbers_registered).toBe(1);
  });
  afterAll(() => h.close());

  it('holds each row once and has nothing to mirror', async () => {
    expect(h.money).toBe(h.db);
    expect(await ids(h.db, 'partners')).toEqual(['acme']);
    expect(await ids(h.db, 'wabas')).toEqual(['W1']);
    expect(await ids(h.db, 'phone_numbers')).toEqual(['P1', 'P2']);
    expect(await refreshTenancyMirror(h.money, h.db)).toBeNull();
    const deps = {
      db: h.db,
      money: h.money,
      domain: domainContextOf({ clock: h.clock, config: normalizeConfig({}) }),
      host: {},
    };
    expect(await catchUpTenancyMirror(deps)).toBeNull();
    expect(await ids(h.db, 'phone_numbers')).toEqual(['P1', 'P2']);
  });
});
