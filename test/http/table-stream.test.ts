import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { QueryError, type ColumnarStream, type Row } from '../../worker/db/db.js';
import type { Logger } from '../../worker/env.js';
import type { AppDeps, AppEnv } from '../../worker/app-deps.js';
import { problemResponse, toProblem } from '../../worker/http/problem.js';
import { streamTable } from '../../worker/http/table-stream.js';

/**
 * A result of two chunks that then fails at chunk `failAt` (or, with -1, never ends), recording whether it was
 * closed.
 */
function source(failAt: number): ColumnarStream & { closed: boolean } {
  const chunks: Row[][] = [[{ a: 1 }, { a: 2 }], [{ a: 3 }]];
  const endless = Array.from({ length: 1000 }, (_, a) => ({ a }));
  let i = 0;
  const src = {
    names: ['a'],
    types: ['INTEGER'],
    closed: false,
    next(): Promise<readonly Row[] | null> {
      if (i === failAt) return Promise.reject(new QueryError('conversion failed', 'SELECT a'));
      if (failAt === -1) return Promise.resolve(endless);
      return Promise.resolve(chunks[i++] ?? null);
    },
    close() {
      src.closed = true;
    },
  };
  return src;
}

describe('streamed tables over HTTP', () => {
  const logged: { msg: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = {
    info: () => {},
    warn: () => {},
    error: (msg, fields) => logged.push({ msg, fields }),
  };
  const sources: ReturnType<typeof source>[] = [];
  let server: ServerType;
  let url: string;
  beforeAll(async () => {
    const app = new Hono<AppEnv>();
    app.use('*', async (c, next) => {
      c.set('deps', { log } as Partial<AppDeps> as AppDeps);
      c.set('requestId', 'req-1');
      await next();
    });
    app.get('/:failAt{-?[0-9]+}', (c) => {
      const src = source(Number(c.req.param('failAt')));
      sources.push(src);
      return streamTable(c, src, {
        format: 'json',
        filename: 't',
        meta: { note: 'x' },
        limit: null,
        tail: () => ({ next_cursor: null }),
      });
    });
    app.onError((err, c) => problemResponse(toProblem(err, log, c.var.requestId)));
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((res) => server.close(() => res())));

  it('writes the envelope, the rows and the tail, and frees the source', async () => {
    const res = await fetch(`${url}/9`);
    expect(await res.text()).toBe('{"note":"x","rows":[{"a":1},{"a":2},{"a":3}],"next_cursor":null}');
    expect(sources.at(-1)?.closed).toBe(true);
  });

  it('frees the source when the client goes away', async () => {
    const abort = new AbortController();
    const res = await fetch(`${url}/-1`, { signal: abort.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).done).toBe(false);
    abort.abort();
    await vi.waitFor(() => expect(sources.at(-1)?.closed).toBe(true), { timeout: 20_000 });
  });

  it('answers problem+json when the query fails before the first row', async () => {
    const res = await fetch(`${url}/0`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(sources.at(-1)?.closed).toBe(true);
  });

  it('aborts the body and logs when the query fails mid-stream', async () => {
    logged.length = 0;
    const res = await fetch(`${url}/1`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(sources.at(-1)?.closed).toBe(true);
    expect(logged).toContainEqual({
      msg: 'table stream failed',
      fields: expect.objectContaining({ request_id: 'req-1', rows_written: 2 }) as unknown,
    });
  });
});
