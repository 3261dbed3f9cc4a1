/**
 * Who may call a route, declared on its definition and checked before its input: a caller without the
 * right answers 403 whatever it sent.
 */
import type { MiddlewareHandler } from 'hono';
import { requireAdmin, requireManager, requireScope } from '../auth/access.js';
import type { Scope } from '../auth/principal.js';
import type { AppEnv } from '../app-deps.js';
import { requireUsageSource } from '../ledger/usage-source.js';

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
