import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import edge from '../worker/cloudflare.js';
import { createHarness, type Harness } from './helpers/harness.js';

describe('worker/cloudflare', () => {
  let h: Harness;
  let server: { url: string; close(): Promise<void> };
  let echo: ServerType;
  let echoUrl = '';
  beforeAll(async () => {
    h = await createHarness();
    server = await h.listen();
    echo = await new Promise<ServerType>((resolve) => {
      const s = serve(
        {
          fetch: (req) =>
            Response.json({ host: req.headers.get('x-forwarded-host'), path: new URL(req.url).pathname }),
          port: 0,
          hostname: '127.0.0.1',
        },
        () => resolve(s),
      );
    });
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server.close();
    echo.close();
    await h.close();
  });

  const assets = { fetch: async (req: Request) => new Response(`asset ${new URL(req.url).pathname}`) };

  it('forwards /v1 to the Node service and keeps the status and body', async () => {
    const res = await edge.fetch(new Request('https://widgets.example.com/v1/openapi.json'), {
      API_ORIGIN: server.url,
      ASSETS: assets,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { openapi: string }).openapi).toBe('3.1.0');
    const denied = await edge.fetch(new Request('https://widgets.example.com/v1/wabas'), {
      API_ORIGIN: server.url,
      ASSETS: assets,
    });
    expect(denied.status).toBe(401);
  });

  it('tells the service which host the request came to', async () => {
    const res = await edge.fetch(new Request('https://widgets.example.com/v1/x?y=1'), {
      API_ORIGIN: echoUrl,
      ASSETS: assets,
    });
    expect(await res.json()).toEqual({ host: 'widgets.example.com', path: '/v1/x' });
  });

  it('forwards the demo portal token route too', async () => {
    const res = await edge.fetch(new Request('https://widgets.example.com/demo/embed-token'), {
      API_ORIGIN: echoUrl,
      ASSETS: assets,
    });
    expect(await res.json()).toEqual({ host: 'widgets.example.com', path: '/demo/embed-token' });
  });

  it('serves everything else from the asset binding', async () => {
    const res = await edge.fetch(new Request('https://widgets.example.com/widgets.js'), {
      API_ORIGIN: server.url,
      ASSETS: assets,
    });
    expect(await res.text()).toBe('asset /widgets.js');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    const chunk = await edge.fetch(new Request('https://widgets.example.com/chunks/vega-AB12CD34.js'), {
      API_ORIGIN: server.url,
      ASSETS: assets,
    });
    expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('passes the API’s CORS decision through, errors included', async () => {
    await h.partner('acme', ['https://portal.acme.test']);
    const res = await edge.fetch(
      new Request('https://widgets.example.com/v1/wabas', {
        headers: { origin: 'https://portal.acme.test', authorization: 'Bearer et_bad.00' },
      }),
      { API_ORIGIN: server.url, ASSETS: assets },
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://portal.acme.test');
  });
});
