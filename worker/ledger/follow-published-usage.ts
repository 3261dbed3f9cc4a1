/**
 * Keeps the published rollups moving without waiting for a request: on the usage source, a pass publishes the
 * months still marked (a rebuild that no ingest followed, such as a re-pricing made while catching the tenancy
 * mirror up, or a publication a failure interrupted); on any other replica, it catches the copy up, so the first
 * usage request after a batch finds it ready. Every replica has its own copy or marks, so this is not a leased
 * job. A pass costs one read of each plane when nothing changed.
 */
import type { Db } from '../db/db.js';
import type { Logger } from '../env.js';
import { copyPublishedUsage } from './published-usage-copy.js';
import { publishUsage } from './publish-usage.js';
import { otherUsageSource } from './usage-source.js';
import type { WriterRole } from './writer-role.js';

export const PUBLISHED_FOLLOW_MS = 1_000;

export interface PublishedUsageDeps {
  readonly db: Db;
  readonly money: Db;
  readonly log: Logger;
  readonly clock: { now(): Date };
  /** With the ingest-writer election: only the writer publishes, whatever the claim says meanwhile. */
  readonly services?: { readonly writer?: WriterRole };
}

/** One pass: publish when this replica is the source, copy otherwise. */
export async function followPublishedUsageOnce(deps: PublishedUsageDeps): Promise<void> {
  const now = deps.clock.now();
  const role = deps.services?.writer;
  if ((role && !role.isWriter) || (await otherUsageSource(deps))) {
    const copied = await copyPublishedUsage(deps, now);
    if (copied && copied.months > 0) deps.log.info('published usage copied', { ...copied });
    return;
  }
  const published = await publishUsage(deps, now);
  if (published.months > 0) deps.log.info('usage published', { ...published });
}

/** Starts following; the returned function stops it and waits for a pass under way. */
export function followPublishedUsage(
  deps: PublishedUsageDeps,
  intervalMs: number = PUBLISHED_FOLLOW_MS,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= followPublishedUsageOnce(deps)
      .catch((err: unknown) => deps.log.error('published usage follow failed', { error: String(err) }))
      .finally(() => (running = null));
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
