/**
 * Ingest sent to a standby goes on to the elected writer, so a load balancer may send it to any replica. The
 * target is only ever the URL the writer recorded in the money plane's usage_source claim (its REPLICA_URL),
 * never one a caller names, so a replica is no open proxy. The request goes on as it came (method, path, query,
 * the body streamed, end-to-end headers including Authorization and Idempotency-Key), marked with
 * FORWARDED_BY: a replica that receives a marked request and is not the writer answers 409 itself, so a request
 * is forwarded once at most and never loops. The writer's answer (status, headers, body) comes back as it is.
 * Runtime-neutral: the fetch API only.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../app-deps.js';
import { WriterUnreachableError } from '../errors.js';

/** Marks a request a replica forwarded to the writer; its value names the forwarding replica. */
export const FORWARDED_BY = 'x-ingest-forwarded-by';

export interface ForwardTarget {
  /** The writer's REPLICA_URL from the claim, without a trailing slash. */
  readonly url: string;
  /** The writer's replica id (usage_source.claimed_by), named in the 503. */
  readonly claimedBy: string;
}

/**
 * Meaningful for one connection only (RFC 9110 §7.6.1), or recomputed by fetch: the body is streamed (its length
 * may change framing), and fetch negotiates and undoes its own content coding.
 */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
  'content-length',
];

function endToEnd(from: Headers, extra: readonly string[]): Headers {
  const out = new Headers(from);
  const named = (from.get('connection') ?? '').split(',').map((h) => h.trim().toLowerCase());
  for (const h of [...HOP_BY_HOP, ...extra, ...named]) if (h) out.delete(h);
  return out;
}

/** Whether this request was already forwarded by a replica (it is then never forwarded again). */
export function wasForwarded(c: Context<AppEnv>): boolean {
  return c.req.header(FORWARDED_BY) !== undefined;
}

/**
 * Sends the request to the writer and answers with the writer's answer. The writer must start answering within
 * `timeoutMs` (its body then streams without a bound); otherwise, or when it cannot be reached, 503
 * writer_unreachable naming it.
 */
export async function forwardToWriter(
  c: Context<AppEnv>,
  target: ForwardTarget,
  timeoutMs: number,
): Promise<Response> {
  const req = c.req.raw;
  const incoming = new URL(req.url);
  const headers = endToEnd(req.headers, ['accept-encoding']);
  headers.set(FORWARDED_BY, c.var.deps.config.replicaId);
  headers.set('x-request-id', c.var.requestId);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  let res: Response;
  try {
    const init: RequestInit & { duplex?: 'half' } = {
      method: req.method,
      headers,
      body: req.body,
      redirect: 'manual',
      signal: abort.signal,
    };
    // A streamed request body needs half duplex where fetch follows the standard (Node's undici).
    if (req.body) init.duplex = 'half';
    res = await fetch(`${target.url}${incoming.pathname}${incoming.search}`, init);
  } catch (err) {
    const reason = abort.signal.aborted ? `no answer within ${timeoutMs} ms` : causeOf(err);
    c.var.deps.log.warn('ingest forward to the writer failed', { writer: target.claimedBy, reason });
    throw new WriterUnreachableError({
      usage_source: { claimed_by: target.claimedBy, url: target.url },
      reason,
    });
  } finally {
    clearTimeout(timer);
  }
  return new Response(res.body, {
    status: res.status,
    statusText: res.statusText,
    headers: endToEnd(res.headers, ['content-encoding']),
  });
}

/** fetch's own error says only "fetch failed"; the cause names the refusal (ECONNREFUSED, ENOTFOUND…). */
function causeOf(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : String(cause);
}
