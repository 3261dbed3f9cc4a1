/**
 * The workerd entry. DuckDB cannot run inside workerd, so this worker serves the widget assets at the edge and
 * forwards /v1 to the Node service (a Cloudflare Container in production, the local Node server under
 * `wrangler dev`). It imports nothing Node-only. CORS of the API is decided by the Node service and passes
 * through unchanged.
 */
import { assetHeaders } from './http/asset-headers.js';

interface Env {
  readonly API_ORIGIN: string;
  readonly ASSETS: { fetch(req: Request): Promise<Response> };
}

/** The API, and the demo portal's token route (mounted by the Node service only in demo mode). */
const FORWARDED = ['/v1/', '/demo/'];

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
    const target = new URL(url.pathname + url.search, env.API_ORIGIN);
    const forwarded = new Request(target, req);
    forwarded.headers.set('X-Forwarded-Host', url.host);
    return fetch(forwarded);
  },
};
