/**
 * Who may call a route, declared on its definition and checked before its input: a caller without the
 * right answers 403 whatever it sent.
 */
import type { MiddlewareHandler } from 'hono';
import { requireAdmin, requireManager, requireScope } from '../auth/access.js';
import type { Scope } from '../auth/principal.js';
import type { AppEnv } from '../app-deps.js';

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
