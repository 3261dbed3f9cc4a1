import { describe, expect, it } from 'vitest';
import { ConfigError, normalizeConfig } from '../../worker/config.js';

describe('worker/config: the continuous intake settings', () => {
  it('keeps the log beside the DuckDB file, none for an in-memory store, none when off', () => {
    expect(normalizeConfig({ DB_PATH: '/var/lib/ci/store.duckdb' }).intake).toEqual({
      dir: '/var/lib/ci/intake',
      intervalMs: 1000,
      maxBatchEvents: 20_000,
      maxPendingEvents: 1_000_000,
      retainMs: 86_400_000,
      maxRecords: 1000,
      maxRecordBytes: 1_048_576,
    });
    expect(normalizeConfig({ DB_PATH: ':memory:' }).intake.dir).toBeNull();
    expect(normalizeConfig({ INTAKE_DIR: 'off' }).intake.dir).toBeNull();
    expect(normalizeConfig({ INTAKE_DIR: '/data/intake', INTAKE_INTERVAL_MS: '250' }).intake).toMatchObject({
      dir: '/data/intake',
      intervalMs: 250,
    });
  });

  it('refuses values outside their ranges by name', () => {
    expect(() => normalizeConfig({ INTAKE_INTERVAL_MS: '60000' })).toThrow(ConfigError);
    expect(() => normalizeConfig({ INTAKE_MAX_BATCH: '0' })).toThrow(/INTAKE_MAX_BATCH/);
    expect(() => normalizeConfig({ INTAKE_RETAIN_MS: '-1' })).toThrow(/INTAKE_RETAIN_MS/);
    expect(() => normalizeConfig({ INTAKE_MAX_RECORDS: '0' })).toThrow(/INTAKE_MAX_RECORDS/);
    expect(() => normalizeConfig({ INTAKE_MAX_RECORD_BYTES: '10' })).toThrow(/INTAKE_MAX_RECORD_BYTES/);
  });
});
