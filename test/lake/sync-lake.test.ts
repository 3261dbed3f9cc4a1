/**
 * The local ingest lake and its object-store copy brought level file by file, against a real S3-compatible
 * server (s3rver on loopback): published files only (never the spool, never a stray object or a key leaving the
 * folder), each file once, byte for byte, and nothing sent twice when both sides already agree.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../worker/config.js';
import { s3ObjectStore } from '../../worker/lake/s3-object-store.js';
import { downloadMissing, localLakeKeys, uploadMissing } from '../../worker/lake/sync-lake.js';
import { freePort } from '../helpers/postgres-server.js';

describe('syncing the ingest lake with an object store', () => {
  let dir: string;
  let server: S3rver;
  let port: number;
  const remote = () =>
    normalizeConfig({
      DB_PATH: join(dir, 'a', 'store.duckdb'),
      INGEST_LAKE_URL: 's3://sync-lake/convo',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    }).ingestLakeRemote!;
  const put = async (root: string, key: string, body: string) => {
    await mkdir(join(root, ...key.split('/').slice(0, -1)), { recursive: true });
    await writeFile(join(root, ...key.split('/')), body);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sync-lake-'));
    port = await freePort();
    server = new S3rver({ port, address: '127.0.0.1', directory: join(dir, 's3'), silent: true });
    await server.run();
    const client = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'auto',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    await client.send(new CreateBucketCommand({ Bucket: 'sync-lake' }));
    // Objects that are not the lake's: another prefix, a non-Parquet file, a key climbing out of the folder.
    for (const Key of [
      'other/units/month=2026-01/batch-000000000009-x.parquet',
      'convo/README.txt',
      'convo/../escape.parquet',
    ])
      await client.send(new PutObjectCommand({ Bucket: 'sync-lake', Key, Body: 'stray' }));
    client.destroy();
  });
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
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
