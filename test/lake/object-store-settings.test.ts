/**
 * The object-store settings of the ingest lake, checked at the edge like every other setting: a well-formed
 * s3:// URL with its endpoint and keys, refused with a message naming what is wrong or missing (never a secret),
 * and the S3 keys refused without the URL they belong to.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, normalizeConfig } from '../../worker/config.js';

const S3 = {
  INGEST_LAKE_URL: 's3://convo-lake/prod/ingest/',
  S3_ENDPOINT: 'https://0123abcd.r2.cloudflarestorage.com',
  S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'sekret-value-123',
  DB_PATH: '/data/store.duckdb',
};

describe('INGEST_LAKE_URL and S3_*', () => {
  it('reads the bucket, the prefix without slashes, the endpoint and the region (auto by default)', () => {
    const c = normalizeConfig(S3);
    expect(c.ingestLakeDir).toBe('/data/ingest-lake');
    expect(c.ingestLakeRemote).toEqual({
      url: 's3://convo-lake/prod/ingest/',
      bucket: 'convo-lake',
      prefix: 'prod/ingest',
      endpoint: 'https://0123abcd.r2.cloudflarestorage.com',
      region: 'auto',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'sekret-value-123',
    });
    expect(
      normalizeConfig({ ...S3, INGEST_LAKE_URL: 's3://convo-lake', S3_REGION: 'eu-west-1' }).ingestLakeRemote,
    ).toMatchObject({ bucket: 'convo-lake', prefix: '', region: 'eu-west-1' });
    expect(normalizeConfig({ DB_PATH: '/data/store.duckdb' }).ingestLakeRemote).toBeNull();
    expect(normalizeConfig({}).restoreFromLake).toBe(false);
    expect(normalizeConfig({ RESTORE_FROM_LAKE: 'true' }).restoreFromLake).toBe(true);
  });

  it('refuses a malformed URL, missing keys, a bad endpoint, no local spool, and keys without a URL', () => {
    const refused = (env: Record<string, string>, message: RegExp) => {
      expect(() => normalizeConfig(env)).toThrow(ConfigError);
      expect(() => normalizeConfig(env)).toThrow(message);
      expect(() => normalizeConfig(env)).not.toThrow(/sekret-value-123/);
    };
    refused({ ...S3, INGEST_LAKE_URL: 'https://convo-lake/x' }, /must be s3:\/\/bucket/);
    refused({ ...S3, INGEST_LAKE_URL: 's3://UPPER/x' }, /must be s3:\/\/bucket/);
    refused({ ...S3, INGEST_LAKE_URL: 's3://convo-lake/../x y' }, /must be s3:\/\/bucket/);
    refused({ ...S3, S3_SECRET_ACCESS_KEY: '' }, /needs S3_SECRET_ACCESS_KEY/);
    refused({ ...S3, S3_ENDPOINT: 'ftp://host' }, /S3_ENDPOINT must be http\(s\)/);
    refused({ ...S3, INGEST_LAKE_DIR: 'off' }, /needs a local ingest lake folder/);
    refused(
      { S3_ENDPOINT: 'https://x.example', S3_SECRET_ACCESS_KEY: 'sekret-value-123' },
      /set without INGEST_LAKE_URL/,
    );
  });
});
