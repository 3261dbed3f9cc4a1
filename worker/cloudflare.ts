/**
 * The workerd entry. DuckDB cannot run inside workerd, so this worker serves the widget assets at the edge and
 * forwards /v1 to the Node service: its Cloudflare Containers when SERVICE is bound (cloudflare-container.ts),
 * otherwise API_ORIGIN (the local Node server under `wrangler dev`, or a service hosted elsewhere). It imports nothing Node-only. CORS of the API is decided by the Node service and passes
 * through unchanged.
 */
import { assetHeaders } from './http/asset-headers.js';
import { WRITER } from './cloudflare-container.js';

export { ConvoInsightsService } from './cloudflare-container.js';

interface ServiceNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(req: Request): Promise<Response> };
}

interface Env {
  /** The service's origin when it runs elsewhere (or under `wrangler dev`); unused with SERVICE bound. */
  readonly API_ORIGIN?: string;
  readonly ASSETS: { fetch(req: Request): Promise<Response> };
  /** The service as Cloudflare Containers (wrangler.toml [[containers]]). */
  readonly SERVICE?: ServiceNamespace;
  /** How many containers share the gate and balance reads, the writer included ("1" = the writer alone). */
  readonly SERVICE_REPLICAS?: string;
}

/** The API, and the demo portal's token route (mounted by the Node service only in demo mode). */
const FORWARDED = ['/v1/', '/demo/'];

/**
 * What any replica answers from the money plane alone: the send gate (the rate replicas exist for) and balance
 * reads. Everything else goes to the writer, whose analytics are the usage source's.
 */
const ON_EVERY_REPLICA = [
  /^\/v1\/phone-numbers\/[^/]+\/messages\/authorize$/,
  /^\/v1\/phone-numbers\/[^/]+\/(balance|ledger)$/,
  /^\/v1\/balances$/,
];

/** The container a request goes to: the writer, or for what every replica answers, any of `replicas`. */
export function containerFor(path: string, replicas: number): string {
  if (replicas <= 1 || !ON_EVERY_REPLICA.some((re) => re.test(path))) return WRITER;
  const n = Math.floor(Math.random() * replicas);
  return n === 0 ? WRITER : `replica-${n}`;
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const url = new URL(req.url);
    if (!FORWARDED.some((prefix) => url.pathname.startsWith(prefix))) {
      // Cloudflare serves most asset requests without this worker (the `_headers` file written by the build
      // applies there); whatever comes through here gets the same headers.
      const res = await env.ASSETS.fetch(req);
      const out = new Response(res.body, res);
      for (const [k, v] of Object.entries(assetHeaders(url.pathname))) out.headers.set(k, v);
      return out;
    }
    if (env.SERVICE) {
      const replicas = Math.max(1, Math.min(Number(env.SERVICE_REPLICAS ?? '1') || 1, 16));
      const name = containerFor(url.pathname, replicas);
      const forwarded = new Request(req);
      forwarded.headers.set('X-Forwarded-Host', url.host);
      return env.SERVICE.get(env.SERVICE.idFromName(name)).fetch(forwarded);
    }
    const target = new URL(url.pathname + url.search, env.API_ORIGIN ?? 'http://127.0.0.1:8787');
    const forwarded = new Request(target, req);
    forwarded.headers.set('X-Forwarded-Host', url.host);
    return fetch(forwarded);
  },
};
