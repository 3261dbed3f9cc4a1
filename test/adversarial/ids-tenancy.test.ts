/**
 * One id rule on every path, no probing of other tenants' ids, and errors that name their cause: an id the API
 * refuses is refused by ingest too; another partner's WABA or number answers exactly as one that does not exist
 * (or, where an id is taken, the same whoever took it); concurrent creation of one WABA answers 201 or 409; an
 * unexpected SQL error in the landing is a logged 500 `internal` with a request id, never "malformed CSV".
 */
import { buildAppServices, withDomainContext } from '../../worker/app-services.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import { createApp } from '../../worker/app.js';
import { ManualClock } from '../../worker/clock.js';
import { openStore } from '../../worker/pricing/open-store.js';
import type { Logger } from '../../worker/env.js';
import { nodeHost } from '../../worker/node-host.js';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';
import { rec, toCsv, toNdjson } from '../ingest/fixtures.js';

const csv = { 'content-type': 'text/csv' };
/** A problem body without the per-request fields, to compare two answers. */
const same = (body: Record<string, unknown>) => {
  const { request_id: _r, ...rest } = body;
  return JSON.stringify(rest).replace(/W-nope|W2|P-nope|P3/g, 'ID');
};

describe('one id rule on every path', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    h = await createHarness();
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
  });
  afterAll(() => h.close());

  it.each([
    ['a trailing space', 'pa1 '],
    ['a path', '../../etc/passwd'],
    ['10 KB', 'p'.repeat(10_240)],
    ['a record separator', 'P\u001eX'],
  ])(
    'refuses a phone id with %s through the API and through ingest alike, registering nothing',
    async (_label, id) => {
      const api = await h.json('POST', '/v1/phone-numbers', {
        token: key,
        body: { phone_number_id: id, waba_id: 'W1' },
      });
      expect(api.status).toBe(400);
      const reason = api.body.issues.find((i: { column: string }) => i.column === 'phone_number_id').reason;
      const ing = await h.json('POST', '/v1/ingest', {
        token: key,
        body: toCsv([rec('id-1', { waba_id: 'W1', waba_timezone: 'UTC', phone_number_id: id })]),
        headers: csv,
      });
      expect(ing.status).toBe(422);
      expect(ing.body.issues).toContainEqual({ line: 1, column: 'phone_number_id', reason });
      // Neither plane holds it (the analytics mirror and the money plane's truth).
      for (const plane of [h.db, h.money]) {
        const [n] = await plane.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM phone_numbers');
        expect(n?.n).toBe(1);
      }
    },
  );
});

describe('no probing of other tenants’ ids', () => {
  let h: Harness;
  let a: string;
  let b: string;
  beforeAll(async () => {
    h = await createHarness();
    a = await h.partner('acme');
    b = await h.partner('globex');
    await h.waba(a, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
    await h.waba(b, { waba_id: 'W2', timezone: 'UTC' }, ['P3']);
  });
  afterAll(() => h.close());

  it('answers another partner’s WABA and number exactly like ids that do not exist', async () => {
    const pairs: [string, string, unknown?][] = [
      ['GET', '/v1/wabas/{W}'],
      ['GET', '/v1/phone-numbers/{P}'],
      ['GET', '/v1/phone-numbers/{P}/balance'],
      ['POST', '/v1/phone-numbers', { phone_number_id: 'P-new', waba_id: '{W}' }],
    ];
    for (const [method, path, body] of pairs) {
      const ask = (w: string, p: string) =>
        h.json(method, path.replace('{W}', w).replace('{P}', p), {
          token: a,
          ...(body ? { body: JSON.parse(JSON.stringify(body).replace('{W}', w)) } : {}),
        });
      const foreign = await ask('W2', 'P3');
      const missing = await ask('W-nope', 'P-nope');
      expect(foreign.status).toBe(missing.status);
      expect(same(foreign.body)).toBe(same(missing.body));
    }
  });

  it('answers an ingest naming another partner’s WABA exactly like one naming no WABA', async () => {
    const send = (waba: string) =>
      h.json('POST', '/v1/ingest', {
        token: a,
        body: toNdjson([rec('probe-1', { waba_id: waba, waba_timezone: 'UTC' })]),
        headers: { 'content-type': 'application/x-ndjson' },
      });
    const foreign = await send('W2');
    const missing = await send('W-nope');
    expect(foreign.status).toBe(422);
    expect(same(foreign.body)).toBe(same(missing.body));
  });

  it('says an id is taken in the same words whoever holds it', async () => {
    const mine = await h.json('POST', '/v1/wabas', {
      token: a,
      body: { waba_id: 'W1', name: 'x', timezone: 'UTC', currency: 'USD' },
    });
    const theirs = await h.json('POST', '/v1/wabas', {
      token: a,
      body: { waba_id: 'W2', name: 'x', timezone: 'UTC', currency: 'USD' },
    });
    expect([mine.status, theirs.status]).toEqual([409, 409]);
    expect(same(mine.body).replace('W1', 'ID')).toBe(same(theirs.body));
  });

  it('answers 201 once and 409 for the rest when many create one WABA at the same time', async () => {
    const tries = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        h.json('POST', '/v1/wabas', {
          token: i % 2 ? a : b,
          body: { waba_id: 'W-race', name: 'race', timezone: 'UTC', currency: 'USD' },
        }),
      ),
    );
    const statuses = tries.map((t) => t.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
  });
});

describe('errors that name the cause', () => {
  it('refuses a partner without WABAs by the row, not as malformed CSV', async () => {
    const h = await createHarness();
    try {
      const key = await h.partner('empty');
      const r = await h.json('POST', '/v1/ingest', { token: key, body: toCsv([rec('nw-1')]), headers: csv });
      expect(r.status).toBe(422);
      expect(r.body.issues).toContainEqual({
        line: 1,
        column: 'waba_id',
        reason: 'is not a WABA of this partner',
      });
    } finally {
      await h.close();
    }
  });

  it('answers an unexpected SQL error in the landing as a logged 500 internal with a request id', async () => {
    const db = await openStore({ path: ':memory:' }, new Date());
    const logged: Record<string, unknown>[] = [];
    const log: Logger = { info: () => {}, warn: () => {}, error: (msg, f) => logged.push({ msg, ...f }) };
    const config = normalizeConfig({ ADMIN_TOKEN: ADMIN, DEMO_DATA: 'false' });
    const app = createApp(
      withDomainContext({
        db,
        clock: new ManualClock('2025-08-15T12:00:00Z'),
        config,
        log,
        host: nodeHost(db),
        services: buildAppServices(db, config),
      }),
    );
    try {
      const call = (method: string, path: string, body: unknown, headers = {}) =>
        app.request(path, {
          method,
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
      await call('POST', '/v1/partners', { partner_id: 'acme', name: 'Acme' });
      await call('POST', '/v1/wabas', {
        waba_id: 'W1',
        name: 'W1',
        timezone: 'UTC',
        currency: 'USD',
        partner_id: 'acme',
      });
      // A store whose units table lost a column the landing writes: our fault, not the file's.
      await db.run('ALTER TABLE units DROP COLUMN reported_at');
      const res = await call('POST', '/v1/ingest', toCsv([rec('e-1', { waba_timezone: 'UTC' })]), csv);
      const body = (await res.json()) as Record<string, unknown>;
      expect(res.status).toBe(500);
      expect(body).toMatchObject({ code: 'internal', request_id: expect.stringMatching(/^req_/) });
      expect(JSON.stringify(body)).not.toMatch(/malformed|INSERT/);
      expect(logged).toContainEqual(
        expect.objectContaining({
          request_id: body.request_id,
          sql: expect.stringContaining('INSERT INTO units'),
        }),
      );
    } finally {
      await db.close();
    }
  });
});
