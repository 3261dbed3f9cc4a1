/**
 * The local ingest lake and its object-store copy brought level file by file, against a real S3-compatible
 * server (s3rver on loopback): published files only (never the spool, never a stray object or a key leaving the
 * folder), each file once, byte for byte, and nothing sent twice when both sides already agree.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import { s3ObjectStore } from '../../worker/lake/s3-object-store.js';
import { downloadMissing, localLakeKeys, uploadMissing } from '../../worker/lake/sync-lake.js';
import { mirroredIngestLake } from '../../worker/lake/mirrored-ingest-lake.js';
import { ServiceUnavailableError } from '../../worker/errors.js';
import { silentLogger } from '../../worker/env.js';
import { S3Server } from '../helpers/s3-server.js';

describe('syncing the ingest lake with an object store', () => {
  let dir: string;
  let server: S3Server;
  const remote = (prefix = 'convo') =>
    normalizeConfig({
      DB_PATH: join(dir, 'a', 'store.duckdb'),
      ...server.settings(prefix),
    }).ingestLakeRemote!;
  const put = async (root: string, key: string, body: string) => {
    await mkdir(join(root, ...key.split('/').slice(0, -1)), { recursive: true });
    await writeFile(join(root, ...key.split('/')), body);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sync-lake-'));
    server = await S3Server.start(join(dir, 's3'), 'sync-lake');
    // Objects that are not the lake's: another prefix, a non-Parquet file, a key climbing out of the folder.
    for (const Key of [
      'other/units/month=2026-01/batch-000000000009-x.parquet',
      'convo/README.txt',
      'convo/../escape.parquet',
    ])
      await server.put(Key, 'stray');
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uploads a batch when it is sealed, before its commit; removes it when it does not commit', async () => {
    const root = join(dir, 'm', 'ingest-lake');
    const lake = mirroredIngestLake(root, s3ObjectStore(remote('mirror')), silentLogger);
    const spool = async (seq: number, id: string) => {
      const b = { kind: 'units' as const, seq, batchId: id };
      const d = await lake.spoolDir(b);
      await put(d, 'month=2026-11/data_0.parquet', `rows of ${id}`);
      await put(d, 'month=2026-12/data_0.parquet', `more rows of ${id}`);
      return b;
    };
    const committed = await spool(11, 'b_kept');
    await lake.seal(committed);
    const keysOf = (id: string) => [
      `units/month=2026-11/batch-0000000000${id === 'b_kept' ? '11' : '12'}-${id}.parquet`,
      `units/month=2026-12/batch-0000000000${id === 'b_kept' ? '11' : '12'}-${id}.parquet`,
    ];
    const store = s3ObjectStore(remote('mirror'));
    expect(await store.list()).toEqual(keysOf('b_kept'));
    expect(await lake.publish(committed)).toBe(true);
    expect(await localLakeKeys(root)).toEqual(keysOf('b_kept'));

    const dropped = await spool(12, 'b_gone');
    await lake.seal(dropped);
    expect(await store.list()).toEqual(expect.arrayContaining(keysOf('b_gone')));
    await lake.discard(dropped);
    expect((await store.list()).filter((k) => k.includes('b_gone'))).toEqual([]);
    expect(await lake.spooled()).toEqual([]);

    // The object store down: sealing fails with a 503 that says to send the batch again.
    await server.stop();
    try {
      const refused = await spool(13, 'b_refused');
      const sealed = lake.seal(refused);
      await expect(sealed).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(sealed).rejects.toThrow(/Send it again/);
    } finally {
      await server.start();
    }
    expect((await store.list()).filter((k) => k.includes('b_refused'))).toEqual([]);
  });

  it('uploads the published files once, and a fresh folder gets them back byte for byte', async () => {
    const a = join(dir, 'a', 'ingest-lake');
    const published = [
      'units/month=2026-10/batch-000000000002-b_one.parquet',
      'units/month=2026-11/batch-000000000002-b_one.parquet',
      'webhooks/month=2026-11/batch-000000000005-b_two.1.parquet',
      'reference/phone_numbers/month=2026-10/change-000000000001-rc_x.parquet',
    ];
    for (const k of published) await put(a, k, `bytes of ${k}`);
    await put(a, '_spool/units-000000000007-b_three/month=2026-12/data_0.parquet', 'spooled');
    expect(await localLakeKeys(a)).toEqual([...published].sort());

    const store = s3ObjectStore(remote());
    expect(await uploadMissing(a, store)).toEqual({ uploaded: 4, downloaded: 0 });
    expect(await uploadMissing(a, store)).toEqual({ uploaded: 0, downloaded: 0 });
    expect(await store.list()).toEqual(expect.arrayContaining([...published]));
    expect((await store.list()).some((k) => k.includes('_spool'))).toBe(false);

    const b = join(dir, 'b', 'ingest-lake');
    expect(await downloadMissing(store, b)).toEqual({ uploaded: 0, downloaded: 4 });
    for (const k of published) expect(await readFile(join(b, ...k.split('/')), 'utf8')).toBe(`bytes of ${k}`);
    expect(await localLakeKeys(b)).toEqual([...published].sort());
    expect(await downloadMissing(store, b)).toEqual({ uploaded: 0, downloaded: 0 });
  });
});
