/**
 * Replicas share the money plane on one Postgres server but each keeps its own analytics plane, so a tenancy
 * write made through one replica reaches the others' mirrors only when they look: every FOLLOW_MS each replica
 * catches its mirror up (catchUpTenancyMirror, which costs two reads when nothing changed), so a WABA created
 * through one replica can be ingested through another a moment later. Its API-key cache follows too: a key
 * revoked through another replica would otherwise keep working here until its cache entry expires; when the
 * money plane's revocations change, the whole cache is dropped.
 */
import type { ApiKeyCache } from '../auth/api-key-cache.js';
import type { Logger } from '../env.js';
import { catchUpTenancyMirror, type MirrorCatchUpDeps } from './catch-up-tenancy-mirror.js';

export const FOLLOW_MS = 2_000;

export interface FollowDeps extends MirrorCatchUpDeps {
  readonly log: Logger;
  readonly services: { readonly apiKeys: ApiKeyCache };
}

async function revocationMark(deps: FollowDeps): Promise<string> {
  const [r] = await deps.money.all<{ n: number; last: string | null }>(
    'SELECT count(*)::INTEGER AS n, max(revoked_at) AS last FROM api_keys WHERE revoked_at IS NOT NULL',
  );
  return `${r?.n ?? 0}|${r?.last ?? ''}`;
}

/** Starts following; the returned function stops it and waits for a pass under way. */
export async function followTenancy(
  deps: FollowDeps,
  intervalMs: number = FOLLOW_MS,
): Promise<() => Promise<void>> {
  let mark = await revocationMark(deps);
  const pass = async () => {
    const now = await revocationMark(deps);
    if (now !== mark) deps.services.apiKeys.forget();
    mark = now;
    const r = await catchUpTenancyMirror(deps);
    const copied = Object.entries(r?.copied ?? {}).map(([table, keys]) => `${table}:${keys.length}`);
    if (copied.length > 0) deps.log.info('tenancy mirror followed', { copied: copied.join(' ') });
  };
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= pass()
      .catch((err: unknown) => deps.log.error('tenancy follow failed', { error: String(err) }))
      .finally(() => (running = null));
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
