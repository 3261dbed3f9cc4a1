/**
 * worker/intake/micro-batcher with the ingest-writer election: events the writer accepted stay in its own log
 * when it steps down (a standby derives nothing, skips nothing, and refuses new intake with 409 naming the
 * writer), and are derived, once, when it is the writer again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriterRole } from '../../worker/ledger/writer-role.js';
import { rec, toCsv } from '../ingest/fixtures.js';
import { ADMIN, call, seedPartner, startIntakeApp, tempFolder, type IntakeApp } from './intake-app.js';

const units = (from: number, n: number) =>
  toCsv(
    Array.from({ length: n }, (_, k) =>
      rec(`sb-${from + k}`, {
        waba_id: 'W1',
        waba_timezone: 'America/New_York',
        phone_number_id: 'N1',
        opened_at: '2026-03-10T18:00:00Z',
      }),
    ),
  );

describe('worker/intake: a writer that stepped down keeps what it accepted', () => {
  const role = new WriterRole();
  let app: IntakeApp;
  let key: string;
  let remove: () => Promise<void>;
  const status = async () =>
    (await call(app.url, 'GET', '/v1/intake', { token: ADMIN })).body as {
      pending_events: number;
      derived_through: number;
    };
  const counted = async () =>
    (await app.db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM units'))[0]!.n;

  beforeAll(async () => {
    const folder = await tempFolder();
    remove = folder.remove;
    role.enter('writer', true);
    app = await startIntakeApp(folder.dir, {}, { batcher: false, writer: role });
    key = await seedPartner(app.url);
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await remove?.();
  });

  it('derives nothing as a standby and everything once it writes again', async () => {
    const accepted = await call(app.url, 'POST', '/v1/intake/records', {
      token: key,
      body: units(0, 5),
      type: 'text/csv',
    });
    expect(accepted.status).toBe(202);
    role.enter('standby', false);
    await app.drain();
    expect((await status()).pending_events).toBe(5);
    expect(await counted()).toBe(0);
    const refused = await call(app.url, 'POST', '/v1/intake/records', {
      token: key,
      body: units(10, 2),
      type: 'text/csv',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('not_usage_source');
    expect(refused.body.writer_phase).toBe('standby');

    role.enter('writer', true);
    await app.drain();
    expect((await status()).pending_events).toBe(0);
    expect(await counted()).toBe(5);
    await app.drain();
    expect(await counted()).toBe(5);
  }, 60_000);
});
