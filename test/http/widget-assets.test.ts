import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudflareHeadersFile } from '../../worker/http/asset-headers.js';
import { pickEncoding } from '../../worker/serve-widget-assets.js';
import { createHarness, type Harness } from '../helpers/harness.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain HTTP GET that does not decompress, so the test sees the bytes on the wire. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('worker/serve-widget-assets', () => {
  let h: Harness;
  let dir: string;
  let url: string;
  let close: () => Promise<void>;
  const entry = `export const x = ${JSON.stringify('widgets '.repeat(400))};\n`;
  const chunk = `export const vega = ${JSON.stringify('chart '.repeat(400))};\n`;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ci-assets-'));
    await mkdir(join(dir, 'chunks'));
    await writeFile(join(dir, 'widgets.js'), entry);
    await writeFile(join(dir, 'chunks', 'vega-AB12CD34.js'), chunk);
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>portal</title>');
    await writeFile(join(dir, '_headers'), 'not served');
    h = await createHarness();
    ({ url, close } = await h.listen({ staticDir: dir }));
  });
  afterAll(async () => {
    await close();
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the entry to any origin, short-cached with an ETag, brotli or gzip as accepted', async () => {
    const origin = { origin: 'https://partner.example' };
    const br = await get(`${url}/widgets.js`, { ...origin, 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['access-control-allow-origin']).toBe('*');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers['cache-control']).toBe('public, max-age=300');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(brotliDecompressSync(br.body).toString()).toBe(entry);
    expect(br.body.length).toBeLessThan(entry.length / 5);

    const gz = await get(`${url}/widgets.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(entry);
    const plain = await get(`${url}/widgets.js`, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(entry);
    // One ETag per representation; a matching If-None-Match answers 304 with no body.
    expect(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size).toBe(3);
    const again = await get(`${url}/widgets.js`, {
      'accept-encoding': 'br',
      'if-none-match': String(br.headers.etag),
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['access-control-allow-origin']).toBe('*');
  });

  it('caches hashed chunks for a year as immutable, and pages not at all without revalidation', async () => {
    const c = await get(`${url}/chunks/vega-AB12CD34.js`, { 'accept-encoding': 'br' });
    expect(c.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(c.headers['access-control-allow-origin']).toBe('*');
    expect(brotliDecompressSync(c.body).toString()).toBe(chunk);
    const page = await get(`${url}/`);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.body.toString()).toContain('portal');
    const head = await get(`${url}/widgets.js`, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('prefers the precompressed copy the build wrote, unless the file is newer', async () => {
    await writeFile(join(dir, 'widgets.js.gz'), Buffer.from('not really gzip'));
    const old = new Date(Date.now() - 60_000);
    await utimes(join(dir, 'widgets.js'), old, old);
    const fresh = await get(`${url}/widgets.js`, { 'accept-encoding': 'gzip' });
    expect(fresh.body.toString()).toBe('not really gzip');
    await utimes(join(dir, 'widgets.js.gz'), new Date(old.getTime() - 1000), new Date(old.getTime() - 1000));
    await writeFile(join(dir, 'widgets.js'), entry + '// edited\n');
    const edited = await get(`${url}/widgets.js`, { 'accept-encoding': 'gzip' });
    expect(gunzipSync(edited.body).toString()).toBe(entry + '// edited\n');
  });

  it('never serves build artefacts or paths outside the directory', async () => {
    expect((await get(`${url}/_headers`)).status).toBe(404);
    expect((await get(`${url}/widgets.js.gz`)).status).toBe(404);
    expect((await get(`${url}/%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
  });

  it('picks the encoding from Accept-Encoding, honouring q=0', () => {
    expect(pickEncoding('gzip, br')).toBe('br');
    expect(pickEncoding('br;q=0, gzip')).toBe('gzip');
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding(undefined)).toBe('identity');
    expect(pickEncoding('deflate')).toBe('identity');
  });

  it('writes the same policy for Cloudflare, each header set by one rule only', () => {
    const file = cloudflareHeadersFile();
    expect(file).toContain('/chunks/*\n  Cache-Control: public, max-age=31536000, immutable');
    expect(file).toContain('/widgets.js\n  Cache-Control: public, max-age=300');
    expect(file).toContain('/*\n  Access-Control-Allow-Origin: *');
    expect(file.match(/Access-Control-Allow-Origin/g)).toHaveLength(1);
  });
});
