/**
 * Small record batches through the continuous intake, against a twin service loading the same bodies through
 * the synchronous POST /v1/ingest: the same refusals (status and problem body), and once derived the same usage
 * and charges answers, byte for byte.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rec, toCsv, toNdjson, type Rec } from '../ingest/fixtures.js';
import { envelope, lines, pmp, status } from '../ingest/webhook-fixtures.js';
import {
  ADMIN,
  call,
  eventually,
  seedPartner,
  startIntakeApp,
  tempFolder,
  type IntakeApp,
} from './intake-app.js';

const unit = (id: string, over: Partial<Rec> = {}) =>
  rec(id, {
    waba_id: 'W1',
    waba_timezone: 'America/New_York',
    phone_number_id: 'N1',
    opened_at: '2026-03-10T18:00:00Z',
    ...over,
  });

interface Side {
  readonly app: IntakeApp;
  readonly key: string;
  readonly remove: () => Promise<void>;
}

async function side(): Promise<Side> {
  const folder = await tempFolder();
  const app = await startIntakeApp(folder.dir);
  return { app, key: await seedPartner(app.url), remove: folder.remove };
}

/** Posts the body as is and answers the status and the text of the answer. */
async function post(url: string, path: string, key: string, body: string, type: string) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': type },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** A problem answer without what differs per request (its id and path). */
function problem(text: string): unknown {
  const { instance, request_id, ...rest } = JSON.parse(text) as Record<string, unknown>;
  void instance;
  void request_id;
  return rest;
}

const pending = async (app: IntakeApp) =>
  (await call(app.url, 'GET', '/v1/intake', { token: ADMIN })).body as {
    pending_events: number;
    accepted_events: number;
    derived_through: number;
  };

describe('worker/intake: small record batches, beside the synchronous ingest', () => {
  let intake: Side;
  let sync: Side;
  beforeAll(async () => {
    intake = await side();
    sync = await side();
  });
  afterAll(async () => {
    for (const s of [intake, sync]) {
      await s.app.stop();
      await s.remove();
    }
  });

  /** The same body to both services: the intake's 202 answer and the synchronous 200 answer. */
  async function both(body: string, type: string) {
    const i = await post(intake.app.url, '/v1/intake/records', intake.key, body, type);
    const s = await post(sync.app.url, '/v1/ingest', sync.key, body, type);
    expect(i.status).toBe(202);
    expect(s.status).toBe(200);
    return { intake: JSON.parse(i.text) as Record<string, unknown>, sync: JSON.parse(s.text) };
  }

  it('accepts CSV and NDJSON at once, counts duplicates, and derives usage and charges equal to the synchronous path', async () => {
    const first = Array.from({ length: 10 }, (_, i) => unit(`r${i}`));
    const a = await both(toCsv(first), 'text/csv');
    expect(a.intake).toMatchObject({ rows: 10, accepted: 10, duplicates: 0 });
    expect(a.intake.intake_id).toMatch(/^in_\d+$/);
    // The same records again, as NDJSON now: the same staged text, so known records.
    const again = await both(toNdjson(first.slice(0, 4)), 'application/x-ndjson');
    expect(again.intake).toEqual({ intake_id: null, rows: 4, accepted: 0, duplicates: 4 });
    expect(again.sync).toMatchObject({ rows: 4, inserted: 0, duplicates: 4 });
    // New records, a repeat within the body, and a changed record of a known unit (a late correction).
    const mixed = [
      unit('r20', { category: 'utility', rate: '0.004' }),
      unit('r21', { opened_at: '2026-03-31T23:30:00Z' }),
      unit('r21', { opened_at: '2026-03-31T23:30:00Z' }),
      unit('r3', { rate: '0.0312' }),
      unit('r22', { recipient_wa_id: '442071234567', category: 'authentication' }),
    ];
    const b = await both(toCsv(mixed), 'text/csv');
    expect(b.intake).toMatchObject({ rows: 5, accepted: 4, duplicates: 1 });
    expect(b.sync).toMatchObject({ rows: 5, inserted: 3, updated: 1, duplicates: 1 });
    expect(await eventually(async () => (await pending(intake.app)).pending_events === 0, 30_000)).toBe(true);
    for (const path of [
      '/v1/usage?group_by=phone_number_id,category&from=2026-01&to=2026-06',
      '/v1/usage?granularity=day&from=2026-03&to=2026-04',
      '/v1/charges?from=2026-01&to=2026-06',
      '/v1/charges?group_by=category&from=2026-03&to=2026-03',
    ]) {
      const [i, s] = await Promise.all(
        [intake, sync].map((x) =>
          fetch(`${x.app.url}${path}`, { headers: { authorization: `Bearer ${x.key}` } }).then(
            // A charges answer says when it was computed.
            async (r) => `${r.status} ${(await r.text()).replace(/"as_of":"[^"]*"/, '')}`,
          ),
        ),
      );
      expect(i).toBe(s);
      expect(i?.startsWith('200 ')).toBe(true);
    }
    // Each record was derived by one batch, the duplicates by none.
    const [u] = await intake.app.db.all<{ units: number; rows: number }>(
      `SELECT (SELECT count(*) FROM units)::INTEGER AS units,
              (SELECT sum(rows_new + rows_updated) FROM ingest_batches)::INTEGER AS rows`,
    );
    expect(u).toEqual({ units: 13, rows: 14 });
  }, 180_000);

  it('refuses what the synchronous path refuses, with the same answer, and accepts nothing of it', async () => {
    // Another business's unit, stored in both: naming it under W1 is refused (foreign unit_id).
    for (const x of [intake, sync]) {
      const o = await call(x.app.url, 'POST', '/v1/partners', {
        token: ADMIN,
        body: { partner_id: 'other', name: 'Other', allowed_origins: [] },
      });
      const okey = o.body.api_key as string;
      await call(x.app.url, 'POST', '/v1/wabas', {
        token: okey,
        body: { waba_id: 'W2', name: 'W2', timezone: 'America/New_York', currency: 'USD' },
      });
      const theirs = toCsv([unit('f1', { waba_id: 'W2', phone_number_id: 'N2' })]);
      expect((await post(x.app.url, '/v1/ingest', okey, theirs, 'text/csv')).status).toBe(200);
    }
    const before = await pending(intake.app);
    const csv = (rows: Rec[]) => toCsv(rows);
    const hostile: [string, string][] = [
      [csv([unit('h1'), unit('h2', { rate: '-0.01' })]), 'text/csv'],
      [csv([unit('h3', { rate: '1e3' }), unit('h4', { rate: '0.0000001' })]), 'text/csv'],
      [csv([unit('h5', { rate: 'NaN', opened_at: 'yesterday' })]), 'text/csv'],
      [csv([unit('h6', { rate: '99999999999999' })]), 'text/csv'],
      [csv([unit('h7', { waba_id: 'W9' }), unit('h8', { waba_timezone: 'UTC' })]), 'text/csv'],
      [csv([unit('h9', { pricing_model: 'PMP', unit: 'conversation', category: 'spam' })]), 'text/csv'],
      [csv([unit('h10'), unit('h11')]).replace('h11,', '"h11,'), 'text/csv'],
      [csv([unit('h12')]) + 'h13,CBP\n', 'text/csv'],
      ['unit_id,waba_id\nh14,W1\n', 'text/csv'],
      ['{"unit_id": "h15", "waba_id": \n', 'application/x-ndjson'],
      [toNdjson([unit('h16'), { ...unit('h17'), rate: -1 }]), 'application/x-ndjson'],
      [toNdjson([{ ...unit('h18'), billable_reported: 'maybe' }]), 'application/x-ndjson'],
      [csv([unit('h21'), unit('f1')]), 'text/csv'],
      [
        toNdjson([unit('h19', { phone_number_id: 'N1' }), unit('h20', { phone_number_id: ' ' })]),
        'application/x-ndjson',
      ],
    ];
    for (const [body, type] of hostile) {
      const i = await post(intake.app.url, '/v1/intake/records', intake.key, body, type);
      const s = await post(sync.app.url, '/v1/ingest', sync.key, body, type);
      expect(s.status, body).toBeGreaterThanOrEqual(400);
      expect(i.status, body).toBe(s.status);
      expect(problem(i.text), body).toEqual(problem(s.text));
    }
    const after = await pending(intake.app);
    expect(after.accepted_events).toBe(before.accepted_events);
    expect(after.pending_events).toBe(0);
    const [n] = await intake.app.db.all<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM units WHERE unit_id LIKE 'h%'",
    );
    expect(n!.n).toBe(0);
  }, 180_000);

  it('takes small batches only: more records or bytes than the limit get a 413 naming the bulk path', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => unit(`big${i}`));
    const r = await post(intake.app.url, '/v1/intake/records', intake.key, toCsv(many), 'text/csv');
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toMatchObject({
      code: 'intake_batch_too_large',
      limit: 1000,
      unit: 'records',
      bulk_path: '/v1/ingest',
    });
    const wide = toNdjson([{ ...unit('w1'), note: 'x'.repeat(1_100_000) }]);
    const w = await post(intake.app.url, '/v1/intake/records', intake.key, wide, 'application/x-ndjson');
    expect(w.status, w.text).toBe(413);
    expect(JSON.parse(w.text)).toMatchObject({ unit: 'bytes', bulk_path: '/v1/ingest' });
    // Webhook envelopes have their own door.
    const h = await post(
      intake.app.url,
      '/v1/intake/records',
      intake.key,
      '{}',
      'application/vnd.whatsapp.webhooks+x-ndjson',
    );
    expect(h.status).toBe(415);
    const [n] = await intake.app.db.all<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM units WHERE unit_id LIKE 'big%' OR unit_id = 'w1'",
    );
    expect(n!.n).toBe(0);
  });
});

describe('worker/intake: webhooks and records of one caller, interleaved', () => {
  it('derives each stream in one batch, each with its own cursor, and a restart finds nothing left', async () => {
    const folder = await tempFolder();
    let app = await startIntakeApp(folder.dir, {}, { batcher: false });
    try {
      const key = await seedPartner(app.url);
      const [before] = await app.db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM ingest_batches');
      for (let i = 0; i < 3; i++) {
        const r = await post(app.url, '/v1/intake/records', key, toCsv([unit(`x${i}`)]), 'text/csv');
        expect(r.status).toBe(202);
        const w = await call(app.url, 'POST', '/v1/intake/webhooks', {
          token: key,
          body: lines(
            envelope('W1', 'N1', [
              status(`wamid.x${i}`, 'delivered', '2026-03-11T10:00:00Z', pmp('utility')),
            ]),
          ),
        });
        expect(w.status).toBe(202);
      }
      expect((await pending(app)).pending_events).toBe(6);
      await app.drain();
      expect(await pending(app)).toMatchObject({ pending_events: 0, derived_through: 6 });
      const batches = await app.db.all<{ format: string; n: number }>(
        `SELECT format, rows_in::INTEGER AS n FROM ingest_batches ORDER BY seq OFFSET ${before!.n}`,
      );
      expect(batches).toEqual([
        { format: 'csv', n: 3 },
        { format: 'webhooks', n: 3 },
      ]);
      await app.stop();
      app = await startIntakeApp(folder.dir, {}, { batcher: false });
      expect((await pending(app)).pending_events).toBe(0);
      const [units] = await app.db.all<{ n: number }>(
        "SELECT count(*)::INTEGER AS n FROM units WHERE unit_id LIKE '%x_'",
      );
      expect(units!.n).toBe(6);
    } finally {
      await app.stop();
      await folder.remove();
    }
  });
});
