/**
 * The deployment whose disk does not survive (a container): money in Postgres, the ingest lake copied to an
 * S3-compatible object store, RESTORE_FROM_LAKE on. The real service on a real Postgres 15 server and a local
 * S3 server (s3rver) on loopback: with the object store down a batch is refused (503) and nothing is counted or
 * charged, and once it is back the batch is taken and uploaded; then the disk wiped (DuckDB file, local lake,
 * intake log) and the process killed, it comes back with the same usage, charges and balance, and new batches
 * are charged once. Skipped,
 * with the reason, only where the Postgres 15 binaries are missing.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../helpers/postgres-server.js';
import { S3Server } from '../helpers/s3-server.js';
import { startReplicas, type Replicas } from '../helpers/replicas.js';
import { call, createTenant } from '../replicas/replica-api.js';

const skipped = postgresUnavailable();
const BUCKET = 'convo-lake';
const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';

/** `count` marketing-lite messages of L1 at 0.0913 EUR, 5 h apart from `from` on. */
function usageCsv(count: number, first: number, from: string): string {
  const lines = Array.from({ length: count }, (_, k) => {
    const i = first + k;
    const at = new Date(Date.parse(from) + k * 5 * 3_600_000).toISOString();
    return `lk-${i},PMP,message,WL,L1,49151223${String(i).padStart(5, '0')},marketing_lite,${at},true,0.0913`;
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

if (skipped) it.skip(`object-store lake: skipped: ${skipped}`, () => undefined);

describe.skipIf(skipped)('the ingest lake in an object store, the disk lost', () => {
  let r: Replicas;
  let s3: S3Server;
  let dir: string;
  let disk: string;
  let key: string;
  const keys = () => s3.keys();
  const ingest = (csv: string) =>
    r.fetch(0, '/v1/ingest', {
      method: 'POST',
      token: key,
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
  const usage = async () =>
    call(r, 0, 'GET', '/v1/usage?waba_id=WL&from=2026-10&to=2026-12&group_by=phone_number_id', {
      token: key,
    });
  const balance = async () =>
    (await call(r, 0, 'GET', '/v1/phone-numbers/L1/balance', { token: key })).body.balance;
  const wipeDisk = async () => {
    await rm(disk, { recursive: true, force: true });
    await mkdir(join(disk, 'tmp'), { recursive: true });
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'object-lake-'));
    disk = join(dir, 'disk');
    await mkdir(join(disk, 'tmp'), { recursive: true });
    s3 = await S3Server.start(join(dir, 's3'), BUCKET);
    r = await startReplicas({
      count: 1,
      env: {
        DB_PATH: join(disk, 'store.duckdb'),
        TEMP_DIR: join(disk, 'tmp'),
        ...s3.settings('convo'),
        RESTORE_FROM_LAKE: 'true',
        // A restored DuckDB file is a new analytics store: it takes the usage-source claim back at start.
        CLAIM_USAGE_SOURCE: 'true',
      },
    });
    key = await createTenant(r, 0, { partner: 'lakeco', waba: 'WL', numbers: ['L1'] });
    const start = await call(r, 0, 'PUT', '/v1/phone-numbers/L1/account-start', {
      token: key,
      body: { starts_on: '2026-10-01' },
    });
    if (start.status !== 200) throw new Error(`account start: ${JSON.stringify(start.body)}`);
  }, 180_000);
  afterAll(async () => {
    await r?.stop();
    await s3?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses a batch it cannot upload, takes it once the store is back, and a wiped disk comes back whole', async () => {
    expect((await ingest(usageCsv(40, 0, '2026-10-03T08:00:00Z'))).status).toBe(200);
    const had = new Set(await keys());
    expect(
      [...had].filter((k) => /^convo\/units\/month=2026-10\/batch-\d{12}-\w+\.parquet$/.test(k)),
    ).toHaveLength(1);
    expect([...had].some((k) => k.startsWith('convo/reference/'))).toBe(true);
    const usageBefore = await usage();
    await s3.stop();
    const refused = await ingest(usageCsv(5, 300, '2026-11-25T08:00:00Z'));
    expect(refused.status).toBe(503);
    expect(await refused.text()).toContain('Send it again');
    // Nothing counted, nothing charged.
    expect(await usage()).toEqual(usageBefore);
    expect(await balance()).toBe('-3.652000'); // 40 × 0.0913
    await s3.start();
    expect((await ingest(usageCsv(5, 300, '2026-11-25T08:00:00Z'))).status).toBe(200);
    const added = (await keys()).filter((k) => !had.has(k));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^convo\/units\/month=2026-11\/batch-\d{12}-\w+\.parquet$/);
    // And that batch is part of a restore from the bucket.
    const before = await usage();
    await r.kill(0, 'SIGKILL');
    await wipeDisk();
    await r.restart(0);
    expect(r.log(0)).toContain('store restored from the ingest lake');
    expect(await usage()).toEqual(before);
    expect(JSON.stringify(before.body)).toContain('"L1"');
    // 45 × 0.0913: the restored store's charges are the ledger's, and new usage is charged once on top.
    expect(await balance()).toBe('-4.108500');
    expect((await call(r, 0, 'GET', '/v1/reconciliation', { token: key })).body.in_balance).toBe(true);
    expect((await ingest(usageCsv(10, 200, '2026-11-20T08:00:00Z'))).status).toBe(200);
    expect(await balance()).toBe('-5.021500');
  }, 240_000);
});
