/**
 * Who may call a route, declared on its definition and checked before its input: a caller without the
 * right answers 403 whatever it sent.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { requireAdmin, requireManager, requireScope } from '../auth/access.js';
import type { Scope } from '../auth/principal.js';
import type { AppEnv } from '../app-deps.js';
import { planesSplit } from '../db/planes.js';
import { forwardToWriter, wasForwarded, type ForwardTarget } from '../http/forward-to-writer.js';
import { currentUsageSource, requireUsageSource } from '../ledger/usage-source.js';

/** Embed tokens need the scope; API keys and admin hold every scope. */
export function scope(s: Scope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    requireScope(c.var.principal, s);
    await next();
  };
}

/** A partner API key or the admin token (never an embed token). */
export const manager: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireManager(c.var.principal);
  await next();
};

export const admin: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireAdmin(c.var.principal);
  await next();
};

/**
 * Ingest, derivation and reconciliation only on the replica whose analytics is the usage source of the money
 * plane (worker/ledger/usage-source.ts), with the election only on the elected writer: elsewhere 409
 * not_usage_source, naming the source, before anything is read or written.
 */
export const usageSourceOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const deps = c.var.deps;
  const role = deps.services.writer;
  await requireUsageSource(deps, deps.config.replicaId, deps.clock.now(), role);
  await (role ? role.during(next) : next());
};

/**
 * Ingest (POST /v1/ingest, /v1/intake/*): on the writer as usageSourceOnly; on a standby forwarded to the elected
 * writer's REPLICA_URL recorded in the money plane (worker/http/forward-to-writer.ts). Without a URL, with
 * INGEST_FORWARD_TIMEOUT_MS=0, or for a request another replica already forwarded: 409 not_usage_source.
 */
export const ingestAtWriter: MiddlewareHandler<AppEnv> = async (c, next) => {
  const target = await forwardTarget(c);
  if (target) return forwardToWriter(c, target, c.var.deps.config.ingestForwardTimeoutMs);
  return usageSourceOnly(c, next);
};

async function forwardTarget(c: Context<AppEnv>): Promise<ForwardTarget | null> {
  const deps = c.var.deps;
  const role = deps.services.writer;
  if (!role || role.isWriter || !planesSplit(deps)) return null;
  if (deps.config.ingestForwardTimeoutMs === 0 || wasForwarded(c)) return null;
  const claim = await currentUsageSource(deps.money);
  // Only a claim the election made names a writer to forward to; never this replica itself (it stepped down).
  if (!claim?.writer_url || claim.lease_token === null) return null;
  if (claim.claimed_by === deps.config.replicaId || claim.writer_url === deps.config.replicaUrl) return null;
  return { url: claim.writer_url, claimedBy: claim.claimed_by };
}
