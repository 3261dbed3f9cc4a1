/**
 * worker/ledger/usage-source (the claim under the writer lease) and worker/ledger/writer-role: two apps with
 * their own in-memory DuckDB analytics share one PGlite money plane. A claim made under the `ingest-writer` lease
 * names its token; the posting transaction then passes only while that very lease is held and unexpired, so a
 * writer whose lease lapsed or was taken posts nothing even though the claim still names its store. A writer
 * that lost its lease cannot claim; a role that is not the writer refuses ingest naming the writer and its URL,
 * and a process outside the election (a CLI) is refused by a claim made under the lease.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLease, seizeLease } from '../../worker/db/pg-lease.js';
import { planesOf } from '../../worker/db/planes.js';
import { NotUsageSourceError } from '../../worker/errors.js';
import {
  assertUsageSourceIn,
  claimUsageSource,
  claimUsageSourceAsWriter,
  requireUsageSource,
  WRITER_LEASE,
} from '../../worker/ledger/usage-source.js';
import { WriterRole } from '../../worker/ledger/writer-role.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('the usage source claimed under the ingest-writer lease', () => {
  const open: Harness[] = [];
  afterEach(async () => {
    for (const h of open.reverse()) await h.close();
    open.length = 0;
  });
  const two = async () => {
    const a = await createHarness({ env: { STORE: 'pglite', REPLICA_ID: 'a' } });
    open.push(a);
    const b = await createHarness({ env: { STORE: 'pglite', REPLICA_ID: 'b' }, money: a.money });
    open.push(b);
    return { a, b };
  };
  const posts = (h: Harness) => h.money.transaction((tx) => assertUsageSourceIn(planesOf(h, tx), NOW));

  it('posts while its lease is held; not once another took it, nor once it lapsed', async () => {
    const { a, b } = await two();
    const lease = (await acquireLease(a.money, WRITER_LEASE, 'a-1', 60_000))!;
    const claimed = await claimUsageSourceAsWriter(a, { by: 'a', now: NOW, lease, url: 'http://a:8787' });
    expect(claimed.claim).toMatchObject({
      claimed_by: 'a',
      lease_token: lease.token,
      writer_url: 'http://a:8787',
    });
    await expect(posts(a)).resolves.toBeUndefined();
    await expect(posts(b)).rejects.toBeInstanceOf(NotUsageSourceError);

    // Another replica takes the lease (an operator's takeover): the claim still names A's store, yet A's
    // postings stop at once; B cannot post either until it claims.
    const seized = await seizeLease(b.money, WRITER_LEASE, 'b-1', 60_000);
    expect(BigInt(seized.token)).toBe(BigInt(lease.token) + 1n);
    const refused = await posts(a).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotUsageSourceError);
    expect((refused as NotUsageSourceError).detail).toMatchObject({
      usage_source: { claimed_by: 'a', lease: 'lapsed', url: 'http://a:8787' },
    });
    await expect(posts(b)).rejects.toBeInstanceOf(NotUsageSourceError);
    // A, holding a lease that is no longer its own, cannot claim back.
    await expect(claimUsageSourceAsWriter(a, { by: 'a', now: NOW, lease, url: null })).rejects.toBeInstanceOf(
      NotUsageSourceError,
    );
    const moved = await claimUsageSourceAsWriter(b, { by: 'b', now: NOW, lease: seized, url: null });
    expect(moved.replaced?.claimed_by).toBe('a');
    await expect(posts(b)).resolves.toBeUndefined();
    await expect(posts(a)).rejects.toBeInstanceOf(NotUsageSourceError);
  }, 120_000);

  it('a lease left to lapse (a stalled writer) fences its postings by the server clock', async () => {
    const { a } = await two();
    const lease = (await acquireLease(a.money, WRITER_LEASE, 'a-1', 300))!;
    await claimUsageSourceAsWriter(a, { by: 'a', now: NOW, lease, url: null });
    await expect(posts(a)).resolves.toBeUndefined();
    await sleep(400);
    await expect(posts(a)).rejects.toBeInstanceOf(NotUsageSourceError);
  }, 120_000);

  it('a claim made by hand is not fenced by any lease, and takes the source from the writer', async () => {
    const { a, b } = await two();
    const lease = (await acquireLease(a.money, WRITER_LEASE, 'a-1', 60_000))!;
    await claimUsageSourceAsWriter(a, { by: 'a', now: NOW, lease, url: null });
    const byHand = await claimUsageSource(b, 'b', NOW, true);
    expect(byHand.claim).toMatchObject({ claimed_by: 'b', lease_token: null, writer_url: null });
    await expect(posts(b)).resolves.toBeUndefined();
    await expect(posts(a)).rejects.toBeInstanceOf(NotUsageSourceError);
  }, 120_000);

  it('with the election, only the writer role passes the ingest check; others are told who writes', async () => {
    const { a, b } = await two();
    const lease = (await acquireLease(a.money, WRITER_LEASE, 'a-1', 60_000))!;
    await claimUsageSourceAsWriter(a, { by: 'a', now: NOW, lease, url: 'http://a:8787' });
    const writing = new WriterRole();
    writing.enter('writer', true);
    await expect(requireUsageSource(a, 'a', NOW, writing)).resolves.toBeUndefined();
    const standby = new WriterRole();
    const refused = await requireUsageSource(b, 'b', NOW, standby).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NotUsageSourceError);
    expect((refused as NotUsageSourceError).detail).toMatchObject({
      usage_source: { claimed_by: 'a', url: 'http://a:8787' },
      writer_phase: 'standby',
    });
    // Outside the election (a CLI on the writer's own file), a claim made under the lease is not taken.
    await expect(requireUsageSource(a, 'a', NOW)).rejects.toBeInstanceOf(NotUsageSourceError);
    // A store that won the lease but is still catching up takes no ingest either.
    const catching = new WriterRole();
    catching.enter('catching-up', true);
    await expect(requireUsageSource(a, 'a', NOW, catching)).rejects.toBeInstanceOf(NotUsageSourceError);
  }, 120_000);
});
