/**
 * How widget assets are served, in one place for the Node server, the Cloudflare entry and the `_headers`
 * file the build writes for Cloudflare's static assets. Assets hold no data, so any origin may load them
 * (a partner's page imports widgets.js cross-origin as a module script, which needs CORS). Chunk names carry a
 * content hash, so they are cached for a year; the entry keeps its name and is cached for five minutes, then
 * revalidated with its ETag; pages always revalidate.
 */

/** Cache-Control of a path under the widgets directory. */
export function cacheControlOf(path: string): string {
  if (path.startsWith('/chunks/')) return 'public, max-age=31536000, immutable';
  if (path === '/widgets.js') return 'public, max-age=300';
  return 'no-cache';
}

/** The headers every asset answer carries besides its type, length and encoding. */
export function assetHeaders(path: string): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Cache-Control': cacheControlOf(path),
  };
}

/** Types worth compressing (text); images and fonts are compressed already. */
export function isCompressible(path: string): boolean {
  return /\.(js|mjs|css|html|json|svg|txt|map)$/.test(path);
}

/**
 * The same policy as a Cloudflare `_headers` file (written into the build output). Cloudflare joins a header
 * named by several matching rules with commas, so each header is set by one rule only; pages keep Cloudflare's
 * default (public, max-age=0, must-revalidate: the same as no-cache), and Cloudflare adds ETags and compresses
 * by Accept-Encoding itself.
 */
export function cloudflareHeadersFile(): string {
  const { 'Cache-Control': _cache, ...everywhere } = assetHeaders('/');
  const lines = (headers: Record<string, string>) => Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`);
  return [
    '# Written by the widgets build from worker/http/asset-headers.ts; edit that file, not this one.',
    '/*',
    ...lines(everywhere),
    '/widgets.js',
    ...lines({ 'Cache-Control': cacheControlOf('/widgets.js') }),
    '/chunks/*',
    ...lines({ 'Cache-Control': cacheControlOf('/chunks/x.js') }),
    '',
  ].join('\n');
}
