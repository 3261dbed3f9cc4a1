/**
 * Read-only SQL for many tenants at once: a bounded number of queries run together (each sandbox on one DuckDB
 * thread), a bounded number wait, and the rest answer 429 with Retry-After rather than piling up. A tenant's
 * sandbox is built once per scope and reused for `cacheMs` (its `as_of` says how fresh it is), so a burst of
 * queries copies the tenant's rows once.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import type { QueryLimits } from '../config.js';
import { TooManyRequestsError } from '../errors.js';
import type { TenantQueryAnswer, TenantQueryRequest } from './query-types.js';
import { runSandboxQuery } from './run-sandbox-query.js';
import { TenantSandbox } from './tenant-sandbox.js';

interface CacheEntry {
  readonly sandbox: Promise<TenantSandbox>;
  readonly expiresAt: number;
  users: number;
  retired: boolean;
}

export function createQueryService(
  source: DuckDBInstance,
  limits: QueryLimits,
): (req: TenantQueryRequest) => Promise<TenantQueryAnswer> {
  const cache = new Map<string, CacheEntry>();
  const slots = new Slots(limits.concurrency, limits.queue);

  function retire(key: string, entry: CacheEntry): void {
    if (cache.get(key) === entry) cache.delete(key);
    entry.retired = true;
    if (entry.users === 0) void entry.sandbox.then((s) => s.close()).catch(() => undefined);
  }

  function acquire(req: TenantQueryRequest): { key: string; entry: CacheEntry } {
    // A replica may become the usage source or stop being it: the tables a sandbox was built from are in its key.
    const tables = `${req.rollups?.daily ?? 'own'}|${req.usageSource ? 'no-units' : 'units'}`;
    const key = `${tables}|${req.fromDay}|${req.toDay}|${[...req.phoneNumberIds].sort().join(',')}`;
    const now = Date.now();
    const found = cache.get(key);
    if (found && found.expiresAt > now) {
      found.users += 1;
      return { key, entry: found };
    }
    if (found) retire(key, found);
    const entry: CacheEntry = {
      sandbox: TenantSandbox.build(source, req, limits.memoryLimitMb),
      expiresAt: now + limits.cacheMs,
      users: 1,
      retired: false,
    };
    // A failed build is not cached.
    entry.sandbox.catch(() => retire(key, entry));
    cache.set(key, entry);
    if (limits.cacheMs > 0) setTimeout(() => retire(key, entry), limits.cacheMs).unref();
    return { key, entry };
  }

  function release(key: string, entry: CacheEntry): void {
    entry.users -= 1;
    if (entry.users === 0 && (entry.retired || limits.cacheMs === 0)) retire(key, entry);
  }

  return async (req) => {
    const done = await slots.take();
    try {
      const { key, entry } = acquire(req);
      try {
        const sandbox = await entry.sandbox;
        const run = await runSandboxQuery(sandbox, req.sql, {
          timeoutMs: limits.timeoutMs,
          maxRows: limits.maxRows,
          parquet: req.parquet === true,
        });
        return { ...run, rowLimit: limits.maxRows, asOf: sandbox.asOf.toISOString() };
      } finally {
        release(key, entry);
      }
    } finally {
      done();
    }
  };
}

/** A counting semaphore with a bounded wait list. */
class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly size: number,
    private readonly queue: number,
  ) {}

  async take(): Promise<() => void> {
    if (this.running >= this.size) {
      if (this.waiting.length >= this.queue)
        throw new TooManyRequestsError('Too many queries are running; try again shortly.', 1);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    };
  }
}
