/**
 * Idempotent money-moving requests: the key, a hash of the request and the first answer are stored in the same
 * writer transaction that does the work. Writers are serialised, so a retry (even a concurrent one) with the
 * same key finds the stored answer and the work is done once; the same key with a different request answers
 * 422. A request that fails stores nothing, so its retry is decided afresh.
 */
import { sha256Hex } from '../auth/crypto.js';
import type { Principal } from '../auth/principal.js';
import type { Queryable } from '../db/db.js';
import { IdempotencyKeyReusedError } from '../errors.js';

export interface IdempotentAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** True when this answer was replayed from an earlier request with the same key. */
  readonly replayed: boolean;
}

/** Whose key space a request's key lives in: the partner's, or the admin's. */
export function idempotencyOwner(p: Principal): string {
  return p.kind === 'admin' ? 'admin' : p.partnerId;
}

/**
 * Runs `work` once per (owner, key): a repeat of the same request replays the stored answer. `request`
 * identifies the request (operation, target and every field of its body); without a key the work just runs.
 */
export async function runIdempotent(
  tx: Queryable,
  at: { owner: string; key: string | null; request: readonly unknown[]; now: Date },
  work: () => Promise<{ status: number; body: Record<string, unknown> }>,
): Promise<IdempotentAnswer> {
  if (at.key === null) return { ...(await work()), replayed: false };
  const hash = await sha256Hex(JSON.stringify(at.request));
  const seen = await tx.all<{ request_hash: string; status: number; response: string }>(
    'SELECT request_hash, status, response FROM idempotency_keys WHERE owner = $o AND idem_key = $k',
    { o: at.owner, k: at.key },
  );
  const prior = seen[0];
  if (prior) {
    if (prior.request_hash !== hash) throw new IdempotencyKeyReusedError();
    return {
      status: Number(prior.status),
      body: JSON.parse(prior.response) as Record<string, unknown>,
      replayed: true,
    };
  }
  const answer = await work();
  await tx.run(`INSERT INTO idempotency_keys VALUES ($o, $k, $h, $s, $body, $now::TIMESTAMPTZ)`, {
    o: at.owner,
    k: at.key,
    h: hash,
    s: answer.status,
    body: JSON.stringify(answer.body),
    now: at.now.toISOString(),
  });
  return { ...answer, replayed: false };
}
