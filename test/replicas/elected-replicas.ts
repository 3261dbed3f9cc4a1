/**
 * Replicas with the ingest-writer election on, as the election and forwarding tests start them: a shared lake in
 * a local S3 server, a short writer lease, each replica's own REPLICA_URL, and one tenant (one WABA, number W1,
 * account started 2026-10-01) made through the first writer. Also the lookups both make: the claim on the money
 * plane and the live replica it names.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReplicas, type Replicas } from '../helpers/replicas.js';
import { S3Server } from '../helpers/s3-server.js';
import { call, createTenant } from './replica-api.js';

export interface WriterClaim {
  readonly claimed_by: string;
  readonly lease_token: string | null;
  readonly writer_url: string | null;
}

export interface ElectedReplicas {
  readonly r: Replicas;
  /** The tenant's API key. */
  readonly key: string;
  /** The replicas the test has not stopped; the test removes those it kills. */
  readonly up: Set<number>;
  claim(): Promise<WriterClaim | undefined>;
  /** The live replica the claim names once it is made under a lease (other than `not`); waits at most `ms`. */
  writer(ms: number, not?: number): Promise<number>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

export async function startElectedReplicas(opts: {
  readonly count: number;
  readonly leaseMs: number;
  readonly partner: string;
  readonly waba: string;
  readonly env?: Record<string, string>;
}): Promise<ElectedReplicas> {
  const dir = await mkdtemp(join(tmpdir(), `${opts.partner}-`));
  let s3: S3Server | undefined;
  let r: Replicas | undefined;
  const stop = async () => {
    await r?.stop();
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    s3 = await S3Server.start(join(dir, 's3'), 'convo-lake');
    const replicas = await startReplicas({
      count: opts.count,
      env: { ...s3.settings('shared'), INGEST_WRITER_LEASE_MS: String(opts.leaseMs), ...opts.env },
      envOf: (_, url) => ({ REPLICA_URL: url }),
    });
    r = replicas;
    const up = new Set(Array.from({ length: opts.count }, (_, i) => i));
    const claim = async () =>
      (
        await replicas.query<WriterClaim>(
          'SELECT claimed_by, lease_token::TEXT AS lease_token, writer_url FROM usage_source',
        )
      )[0];
    const writer = async (ms: number, not?: number): Promise<number> => {
      const until = Date.now() + ms;
      for (;;) {
        const c = await claim();
        const i = [...up].find((k) => replicas.id(k) === c?.claimed_by && k !== not);
        if (c?.lease_token && i !== undefined) return i;
        if (Date.now() > until) throw new Error(`no writer within ${ms} ms: ${JSON.stringify(c)}`);
        await sleep(100);
      }
    };
    const w = await writer(30_000);
    const key = await createTenant(replicas, w, { partner: opts.partner, waba: opts.waba, numbers: ['W1'] });
    const start = await call(replicas, w, 'PUT', '/v1/phone-numbers/W1/account-start', {
      token: key,
      body: { starts_on: '2026-10-01' },
    });
    if (start.status !== 200) throw new Error(`account start: ${JSON.stringify(start.body)}`);
    return { r: replicas, key, up, claim, writer, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
