/**
 * Serves the built widgets and portal pages under Node with the policy of http/asset-headers.ts: CORS for any
 * origin, brotli or gzip by Accept-Encoding, an ETag per representation (304 on If-None-Match), and long
 * caching of hashed chunks. The build writes `.br` and `.gz` beside each text file; a file without them is
 * compressed here once and kept in memory until the file changes.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { assetHeaders, isCompressible } from './http/asset-headers.js';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

type Encoding = 'br' | 'gzip' | 'identity';

interface Entry {
  readonly mtimeMs: number;
  readonly raw: Uint8Array;
  readonly hash: string;
  readonly encoded: Map<Encoding, Promise<Uint8Array>>;
}

/** The encoding to answer with: brotli, then gzip, when the client accepts it (q > 0). */
export function pickEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

async function readEncoded(file: string, entry: Entry, encoding: Encoding): Promise<Uint8Array> {
  const raw = entry.raw;
  if (encoding === 'identity') return raw;
  const copy = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
  const info = await stat(copy).catch(() => null);
  // A precompressed copy older than the file is stale (the file was edited after the build).
  if (info && info.mtimeMs >= entry.mtimeMs) return readFile(copy);
  return encoding === 'br'
    ? brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } })
    : gz(raw, { level: 9 });
}

/** A Hono middleware serving `dir` at `/` (index.html for directories); anything else falls through. */
export function serveWidgetAssets(dir: string): MiddlewareHandler {
  const root = normalize(dir);
  const cache = new Map<string, Entry>();

  async function entryFor(file: string): Promise<Entry | null> {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const hit = cache.get(file);
    if (hit && hit.mtimeMs === info.mtimeMs) return hit;
    const raw = await readFile(file);
    const hash = createHash('sha256').update(raw).digest('base64url').slice(0, 22);
    const entry: Entry = { mtimeMs: info.mtimeMs, raw, hash, encoded: new Map() };
    cache.set(file, entry);
    return entry;
  }

  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return next();
    }
    if (path.endsWith('/')) path += 'index.html';
    // Build artefacts (_headers, .assetsignore, precompressed copies) are not pages.
    if (/\/[._]|\.(br|gz)$/.test(path) || path.includes('\0')) return next();
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) return next();
    const entry = await entryFor(file);
    if (!entry) return next();

    const encoding = isCompressible(path) ? pickEncoding(c.req.header('accept-encoding')) : 'identity';
    const etag = `"${entry.hash}${encoding === 'identity' ? '' : `-${encoding}`}"`;
    const headers: Record<string, string> = {
      ...assetHeaders(path),
      'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
      ETag: etag,
    };
    if (isCompressible(path)) headers.Vary = 'Accept-Encoding';
    const match = c.req.header('if-none-match');
    if (match && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
      return c.body(null, 304, headers);
    }
    let body = entry.encoded.get(encoding);
    if (!body) {
      body = readEncoded(file, entry, encoding);
      entry.encoded.set(encoding, body);
    }
    const bytes = await body;
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
    headers['Content-Length'] = String(bytes.byteLength);
    if (c.req.method === 'HEAD') return c.body(null, 200, headers);
    return c.body(new Uint8Array(bytes), 200, headers);
  };
}
