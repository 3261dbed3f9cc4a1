import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebhooks } from '../../worker/ingest/parse-webhooks.js';
import { envelope, lines, pmp, status } from '../ingest/webhook-fixtures.js';
import { call, seedPartner, startIntakeApp, tempFolder, type IntakeApp } from './intake-app.js';

const delivered = (id: string) =>
  envelope('W1', 'N1', [status(id, 'delivered', '2026-03-10T12:00:00Z', pmp('marketing'))]);
const body = (prefix: string, n: number) =>
  lines(...Array.from({ length: n }, (_, i) => delivered(`wamid.${prefix}${i}`)));

describe('worker/intake: the parse acceptance made, kept for the derivation', () => {
  let folder: Awaited<ReturnType<typeof tempFolder>>;
  let app: IntakeApp;
  let key = '';
  beforeAll(async () => {
    folder = await tempFolder();
    // Two batches of 4 events at most are kept parsed.
    app = await startIntakeApp(folder.dir, { INTAKE_MAX_BATCH: '4' }, { batcher: false });
    key = await seedPartner(app.url);
  });
  afterAll(async () => {
    await app.stop();
    await folder.remove();
  });

  it('is kept for a small backlog, not beyond, and dropped once the entry is derived', async () => {
    const post = (text: string) => call(app.url, 'POST', '/v1/intake/webhooks', { token: key, body: text });
    expect((await post(body('K', 3))).body).toMatchObject({ accepted: 3 });
    expect((await post(body('L', 6))).body).toMatchObject({ accepted: 6 });
    const [first, second] = app.intake.pending;
    expect(app.intake.parsedOf(first!)).toEqual(parseWebhooks(first!.text));
    expect(app.intake.parsedOf(second!)).toBeUndefined();
    await app.drain();
    expect(app.intake.pending).toEqual([]);
    expect(app.intake.parsedOf(first!)).toBeUndefined();
    const [n] = await app.db.all<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM status_events WHERE wamid LIKE 'wamid.K%' OR wamid LIKE 'wamid.L%'`,
    );
    expect(n!.n).toBe(9);
  });
});
