/**
 * worker/http/forward-to-writer.ts against a real HTTP server on loopback standing in for the writer: the request
 * goes on with its method, path, query, streamed body and end-to-end headers (Authorization, Content-Type,
 * Idempotency-Key), without the hop-by-hop ones, marked as forwarded; the writer's status, headers and body come
 * back. A writer that refuses the connection, or does not answer in time, is 503 writer_unreachable naming it.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps, AppEnv } from '../../worker/app-deps.js';
import { FORWARDED_BY, forwardToWriter } from '../../worker/http/forward-to-writer.js';
import { problemResponse, toProblem } from '../../worker/http/problem.js';
import { freePort } from '../helpers/postgres-server.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const quiet = {
  warn: () => undefined,
  error: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

/** A standby's edge: every request goes on to `writer` (the guard's choice is tested with real replicas). */
function standby(writer: string, timeoutMs: number): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('deps', { config: { replicaId: 'standby-1' }, log: quiet } as unknown as AppDeps);
    c.set('requestId', 'req_forward_1');
    await next();
  });
  app.post('/v1/ingest', (c) => forwardToWriter(c, { url: writer, claimedBy: 'writer-0' }, timeoutMs));
  app.onError((err, c) => problemResponse(toProblem(err, c.var.deps.log, c.var.requestId)));
  return app;
}

function listen(server: Server): Promise<string> {
  return new Promise((res) =>
    server.listen(0, '127.0.0.1', () => res(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

describe('worker/http: forwarding ingest to the writer', () => {
  const seen: Seen[] = [];
  let writer: Server;
  let silent: Server;
  let writerUrl = '';
  let silentUrl = '';
  beforeAll(async () => {
    writer = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(207, { 'content-type': 'application/json', 'x-writer': 'yes', connection: 'close' });
        res.end(JSON.stringify({ bytes: Buffer.concat(chunks).length }));
      });
    });
    // Takes the connection and never answers, as a stalled writer does.
    silent = createServer(() => undefined);
    writerUrl = await listen(writer);
    silentUrl = await listen(silent);
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await Promise.all([writer, silent].map((s) => new Promise((res) => s.close(res))));
  });

  it('sends the request on as it came, marked, and answers with the writer’s answer', async () => {
    const body = 'unit_id,x\n' + 'u,1\n'.repeat(300_000); // 1.2 MB, streamed
    const res = await standby(writerUrl, 5_000).request('/v1/ingest?format=csv&dry=1', {
      method: 'POST',
      body,
      headers: {
        authorization: 'Bearer ck_test',
        'content-type': 'text/csv',
        'idempotency-key': 'idem-1',
        'x-custom': 'kept',
        connection: 'x-private',
        'x-private': 'dropped',
        'keep-alive': 'timeout=5',
        te: 'trailers',
      },
    });
    expect(res.status).toBe(207);
    expect(res.headers.get('x-writer')).toBe('yes');
    expect(res.headers.get('connection')).toBeNull();
    expect(await res.json()).toEqual({ bytes: Buffer.byteLength(body) });
    const got = seen.at(-1)!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/v1/ingest?format=csv&dry=1');
    expect(got.body.toString()).toBe(body);
    expect(got.headers).toMatchObject({
      authorization: 'Bearer ck_test',
      'content-type': 'text/csv',
      'idempotency-key': 'idem-1',
      'x-custom': 'kept',
      [FORWARDED_BY]: 'standby-1',
      'x-request-id': 'req_forward_1',
    });
    for (const h of ['x-private', 'keep-alive', 'te']) expect(got.headers[h], h).toBeUndefined();
  });

  it('a writer that refuses the connection is 503 writer_unreachable naming it', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const res = await standby(closed, 5_000).request('/v1/ingest', { method: 'POST', body: 'x' });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      code: 'writer_unreachable',
      usage_source: { claimed_by: 'writer-0', url: closed },
      reason: 'ECONNREFUSED',
    });
  });

  it('a writer that does not answer within the bound is 503 writer_unreachable', async () => {
    const res = await standby(silentUrl, 300).request('/v1/ingest', { method: 'POST', body: 'x' });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      code: 'writer_unreachable',
      usage_source: { claimed_by: 'writer-0', url: silentUrl },
      reason: 'no answer within 300 ms',
    });
  });
});
