/**
 * What a long-running host does after opening the store: load demo data on first start and start the background
 * jobs (payment settlement, auto-renewal, alert delivery), each under a lease when replicas share the money
 * store (worker/jobs/job-runner.ts). Returns a function that stops the jobs and gives their leases up.
 */
import { startRunwayAlertPass } from './runway/runway-alert-job.js';
import type { AppDeps } from './app-deps.js';
import { catchUpTenancyMirror } from './billing/catch-up-tenancy-mirror.js';
import { followTenancy } from './billing/follow-tenancy.js';
import { discardInterruptedBatches } from './ingest/recover-batches.js';
import { seedDemoIfEmpty } from './demo/seed-demo.js';
import { recoverLake } from './lake/recover-lake.js';
import { deliverAlerts } from './funding/deliver-alerts.js';
import { repairDrift } from './funding/repair-drift.js';
import { claimUsageSource } from './ledger/usage-source.js';
import { followPublishedUsage, followPublishedUsageOnce } from './ledger/follow-published-usage.js';
import { usageView } from './ledger/usage-view.js';
import { checkAllRenewals, settleDueTopUps } from './funding/settle-due.js';
import { checkStaleData } from './usage/stale-data-job.js';
import { startJobs, type StopJobs } from './jobs/job-runner.js';
import { gateLakeToWriter } from './election/writer-lake.js';
import { startWriterElection, type StopElection } from './election/writer-election.js';
import { s3ObjectStore } from './lake/s3-object-store.js';

export type Job = (deps: AppDeps) => Promise<void>;

/** Jobs run every `intervalMs`; each area registers its own in the list below. */
export const backgroundJobs: { name: string; intervalMs: number; run: Job }[] = [
  // Funding: the simulated processor settles due top-ups (also right at startup, so a top-up confirmed before a
  // crash settles exactly once after restart), renewals are re-checked, alert webhooks are delivered.
  { name: 'settle-topups', intervalMs: 2_000, run: async (d) => void (await settleDueTopUps(d)) },
  { name: 'auto-renewals', intervalMs: 15_000, run: checkAllRenewals },
  { name: 'deliver-alerts', intervalMs: 2_000, run: async (d) => void (await deliverAlerts(d)) },
  // Runway: runway_short for numbers with auto-renewal, hourly (detached, so startup does not wait).
  { name: 'runway-alerts', intervalMs: 3_600_000, run: startRunwayAlertPass },
  // Freshness: stale_data once per silence of a phone number's feed (STALE_DATA_AFTER_MS).
  // The job's holder may be any replica: the feed is the one it answers usage from (published off the source).
  {
    name: 'stale-data',
    intervalMs: 60_000,
    run: async (d) => {
      const { feed } = (await usageView(d, d.clock.now())).tables;
      await checkStaleData({ ...d, feed });
    },
  },
];

async function repairLedger(deps: AppDeps): Promise<void> {
  const drift = await repairDrift(deps, {}, deps.domain, 10);
  if (!drift.before.in_balance) {
    deps.log.warn('ledger reconciled at startup', {
      drift_days: drift.before.drift_days,
      numbers: drift.numbers_reposted.length,
      still_drifting: drift.after.drift_days,
    });
  }
}

/** `holder`: this process's name in the job leases, unique among the replicas. */
export async function startup(deps: AppDeps, holder: string): Promise<StopJobs> {
  // With the ingest-writer election (services.writer), only the writer archives into the shared lake.
  const role = deps.services.writer;
  const gated =
    role && deps.config.ingestLakeDir
      ? gateLakeToWriter(deps.host, role, deps.config.ingestLakeDir, deps.log)
      : undefined;
  const ingestLake = gated ? gated.lake : deps.host.ingestLake;
  // The analytics mirror of the tenancy first, since every step below reads it: writes committed in the money
  // plane whose copy a stop interrupted are copied, numbers an ingest registered only in analytics reach money.
  const mirror = await catchUpTenancyMirror(deps);
  const copied = Object.entries(mirror?.copied ?? {}).map(([table, keys]) => `${table}:${keys.length}`);
  if (mirror && (copied.length > 0 || mirror.registeredInMoney + mirror.unknownWaba > 0))
    deps.log.warn('tenancy mirror caught up', {
      copied: copied.join(' '),
      registered_in_money: mirror.registeredInMoney,
      unknown_waba: mirror.unknownWaba,
      conflicts: mirror.conflicts.slice(0, 20).join(' '),
    });
  // A bulk ingest stopped between landing and settling leaves rows nobody acknowledged: remove them first.
  const discarded = await deps.db.transaction((tx) => discardInterruptedBatches(tx));
  if (discarded > 0) deps.log.warn('discarded interrupted ingest batches', { batches: discarded });
  // Then the ingest lake: a batch committed before a crash but not yet archived is archived now.
  const lake = gated ? gated.spool : ingestLake;
  if (lake) {
    const r = await deps.db.writeSession((s) =>
      // With the election the reference data goes to the lake when this replica takes over, not here.
      s.transaction((tx) => recoverLake(tx, lake, deps.clock.now(), !role)),
    );
    if (r.published + r.discarded > 0) deps.log.warn('ingest lake recovered', { ...r });
  }
  // With a money plane of its own, one analytics store is the usage source: with the election, the writer's
  // (claimed when it takes over); otherwise claimed by the first replica to start, taken over with
  // CLAIM_USAGE_SOURCE=true.
  if (!role) await claimSourceByHand(deps);
  // The rollups across replicas: the source publishes what a stop left unpublished (or, after a takeover, all it
  // holds); another replica brings its copy of them up to date.
  await followPublishedUsageOnce(deps);
  const stale = (await deps.host.cleanTempFiles?.()) ?? 0;
  if (stale > 0) deps.log.warn('removed temp files of stopped processes', { folders: stale });
  // Demo data first (only into an empty store with DEMO_DATA on), so the jobs see a complete store.
  await seedDemoIfEmpty(deps);
  // Replicas on one Postgres server each follow the tenancy writes the others make (their own mirror, their
  // own API-key cache); not a leased job, since every replica has its own to keep.
  const unfollow = deps.config.moneyStore.kind === 'postgres' ? await followTenancy(deps) : null;
  const unfollowUsage = deps.config.moneyStore.kind === 'postgres' ? followPublishedUsage(deps) : null;
  const stopJobs = await startJobs(
    backgroundJobs.map((job) => ({ ...job, run: () => job.run(deps) })),
    {
      store: deps.money,
      // The DuckDB file belongs to one process. A Postgres server may be shared by replicas; on PGlite (one
      // process too) the leases cost one statement per tick and keep one code path for both Postgres stores.
      leases: deps.config.moneyStore.kind !== 'duckdb',
      holder,
      leaseGraceMs: deps.config.jobLeaseGraceMs,
      log: deps.log,
    },
  );
  const stopElection = role ? await startElection(deps, role, ingestLake, holder) : null;
  return async () => {
    // The writer lease first: a SIGTERM hands ingest over without waiting for the lease to expire.
    await stopElection?.();
    await unfollow?.();
    await unfollowUsage?.();
    await stopJobs();
  };
}

async function startElection(
  deps: AppDeps,
  role: NonNullable<AppDeps['services']['writer']>,
  lake: AppDeps['host']['ingestLake'],
  holder: string,
): Promise<StopElection> {
  const { ingestLakeDir: dir, ingestLakeRemote: remote } = deps.config;
  if (!lake || !dir || !remote)
    throw new Error('the ingest-writer election needs the lake in an object store');
  deps.log.info('ingest writer election: competing for the lease', {
    lease_ms: deps.config.ingestWriterLeaseMs,
    seize: deps.config.claimUsageSource,
  });
  return startWriterElection(deps, {
    role,
    shared: { dir, store: s3ObjectStore(remote), lake },
    holder,
    leaseMs: deps.config.ingestWriterLeaseMs,
    seize: deps.config.claimUsageSource,
  });
}

async function claimSourceByHand(deps: AppDeps): Promise<void> {
  const usage = await claimUsageSource(
    deps,
    deps.config.replicaId,
    deps.clock.now(),
    deps.config.claimUsageSource,
  );
  if (usage.replaced)
    deps.log.warn('usage source taken over', {
      from: usage.replaced.claimed_by,
      claimed_at: usage.replaced.claimed_at,
    });
  // Then the ledger: usage committed without its postings (a crash between the two) is posted now, once — by
  // the source only: another replica's analytics would undo the charges the source's usage posted.
  if (usage.source) await repairLedger(deps);
  else
    deps.log.warn('not the usage source: ingest and ledger repair are left to it', {
      usage_source: usage.claim?.claimed_by,
    });
  if (deps.config.moneyStore.kind === 'postgres')
    deps.log.warn('ingest writer election off: the ingest lake is not shared (INGEST_LAKE_URL unset)', {
      usage_source: usage.claim?.claimed_by,
      moves: 'by hand only (CLAIM_USAGE_SOURCE=true on the replica to take it)',
    });
}
