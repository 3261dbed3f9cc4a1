import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const delivered = (id: string, iso = '2026-03-10T12:00:00Z') =>
  envelope('W1', 'N1', [status(id, 'delivered', iso, pmp('marketing'))]);

async function counted(app: IntakeApp, key: string): Promise<number> {
  const r = await call(app.url, 'GET', '/v1/usage?group_by=phone_number_id&from=2026-01&to=2026-06', {
    token: key,
  });
  return (r.body.rows as { all: number }[]).reduce((n, row) => n + Number(row.all), 0);
}

async function storedEvents(app: IntakeApp, wamid: string): Promise<number> {
  const [r] = await app.db.all<{ n: number }>(
    'SELECT count(*)::INTEGER AS n FROM status_events WHERE wamid = $wamid',
    { wamid },
  );
  return r!.n;
}

describe('worker/intake: accepting webhooks and deriving them in micro-batches', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  let app: IntakeApp;
  let key = '';
  beforeAll(async () => {
    folder = await tempFolder();
    app = await startIntakeApp(folder.dir);
    key = await seedPartner(app.url);
  });
  afterAll(async () => {
    await app.stop();
    await folder.remove();
  });

  it('answers 202 with the accepted count, and the events show in usage after the drain', async () => {
    const r = await call(app.url, 'POST', '/v1/intake/webhooks', {
      token: key,
      body: lines(delivered('wamid.A1'), delivered('wamid.A2'), delivered('wamid.A3')),
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ rows: 3, accepted: 3, duplicates: 0 });
    expect(r.body.intake_id).toMatch(/^in_\d+$/);
    expect(await eventually(async () => (await counted(app, key)) === 3)).toBe(true);
    const s = await call(app.url, 'GET', '/v1/intake', { token: ADMIN });
    expect(s.body).toMatchObject({ pending_events: 0, lag_ms: 0, last_error: null });
    expect(s.body.last_derived_at).not.toBeNull();
  });

  it('takes one webhook payload as application/json, as a BSP posts it', async () => {
    const body = JSON.stringify(JSON.parse(delivered('wamid.J1')), null, 2);
    const r = await call(app.url, 'POST', '/v1/intake/webhooks', {
      token: key,
      body,
      type: 'application/json',
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ rows: 1, accepted: 1, duplicates: 0 });
  });

  it('counts an event sent twice at the same time once', async () => {
    const body = lines(delivered('wamid.D1'), delivered('wamid.D2'));
    const [a, b] = await Promise.all(
      [1, 2].map(() => call(app.url, 'POST', '/v1/intake/webhooks', { token: key, body })),
    );
    expect([a!.status, b!.status]).toEqual([202, 202]);
    expect(a!.body.accepted + b!.body.accepted).toBe(2);
    expect(a!.body.duplicates + b!.body.duplicates).toBe(2);
    expect([a!.body.intake_id, b!.body.intake_id].filter((x) => x === null)).toHaveLength(1);
    expect(await eventually(async () => (await counted(app, key)) === 6)).toBe(true);
    expect(await storedEvents(app, 'wamid.D1')).toBe(1);
  });

  it('refuses a bad body with the same 422 as POST /v1/ingest and accepts nothing of it', async () => {
    const body = lines(
      delivered('wamid.B1'),
      envelope('W1', 'N1', [status('wamid.B2', 'delivered', '2026-03-10T12:00:00Z', { recipient_id: 'x' })]),
      envelope('W-other', 'N1', [status('wamid.B3', 'delivered', '2026-03-10T12:00:00Z')]),
      '{not json',
    );
    const before = (await call(app.url, 'GET', '/v1/intake', { token: ADMIN })).body;
    const intake = await call(app.url, 'POST', '/v1/intake/webhooks', { token: key, body });
    const sync = await call(app.url, 'POST', '/v1/ingest?format=webhooks', { token: key, body });
    expect(intake.status).toBe(422);
    expect(intake.body.code).toBe('batch_rejected');
    const { request_id: _a, instance: _i, ...refusal } = intake.body;
    const { request_id: _b, instance: _j, ...syncRefusal } = sync.body;
    expect(refusal).toEqual(syncRefusal);
    expect(refusal.issues.map((i: { line: number }) => i.line)).toEqual([2, 3, 4]);
    const after = (await call(app.url, 'GET', '/v1/intake', { token: ADMIN })).body;
    expect(after.accepted_events).toBe(before.accepted_events);
    expect(after.derived_through).toBe(before.derived_through);
    // The good line of the refused body was not taken: sent alone now, it is new.
    const again = await call(app.url, 'POST', '/v1/intake/webhooks', {
      token: key,
      body: delivered('wamid.B1'),
    });
    expect(again.body).toMatchObject({ accepted: 1, duplicates: 0 });
  });

  it('refuses another partner the numbers it has seen accepted for the first one', async () => {
    const made = await call(app.url, 'POST', '/v1/partners', {
      token: ADMIN,
      body: { partner_id: 'other', name: 'Other', allowed_origins: [] },
    });
    const r = await call(app.url, 'POST', '/v1/intake/webhooks', {
      token: made.body.api_key,
      body: delivered('wamid.O1'),
    });
    expect(r.status).toBe(422);
    expect(r.body.issues).toEqual([{ line: 1, column: 'entry.id', reason: 'is not a WABA of this partner' }]);
  });

  it('knows accepted events after a restart: a repeat is a duplicate and counted once', async () => {
    const body = lines(delivered('wamid.R1'), delivered('wamid.R2'));
    const first = await call(app.url, 'POST', '/v1/intake/webhooks', { token: key, body });
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 0 });
    await app.stop();
    app = await startIntakeApp(folder.dir);
    const again = await call(app.url, 'POST', '/v1/intake/webhooks', { token: key, body });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ intake_id: null, accepted: 0, duplicates: 2 });
    expect(
      await eventually(
        async () => (await call(app.url, 'GET', '/v1/intake', { token: ADMIN })).body.pending_events === 0,
      ),
    ).toBe(true);
    expect(await counted(app, key)).toBe(9);
  });

  it('is refused to an embed token and to no token, and its status to a partner', async () => {
    expect((await call(app.url, 'POST', '/v1/intake/webhooks', { token: 'nope', body: '' })).status).toBe(
      401,
    );
    expect((await call(app.url, 'GET', '/v1/intake', { token: key })).status).toBe(403);
  });
});
