import { describe, expect, it } from 'vitest';
import { exportFixture } from '../exports/fixture.js';

/** Fires n queries at once at a real loopback server; returns their statuses and Retry-After headers. */
async function burst(
  url: string,
  key: string,
  n: number,
): Promise<{ status: number; retryAfter: string | null }[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const res = await fetch(`${url}/v1/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        // Some cheap, some heavier, one in ten cut off by the time limit.
        body: JSON.stringify({
          sql:
            i % 10 === 9
              ? 'SELECT count(*) FROM range(10000000000000)'
              : `SELECT phone_number_id, count(*) + ${i} AS n FROM units, range(${(i % 5) * 2000}) GROUP BY ALL`,
        }),
      });
      await res.arrayBuffer();
      return { status: res.status, retryAfter: res.headers.get('retry-after') };
    }),
  );
}

// 100 concurrent queries over loopback: never a 5xx; over capacity is 429 with Retry-After.
describe('POST /v1/query under concurrency', () => {
  it('answers 100 concurrent queries without a 5xx', async () => {
    const f = await exportFixture({ QUERY_TIMEOUT_MS: '300' });
    const server = await f.h.listen();
    try {
      const results = await burst(server.url, f.acme, 100);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s >= 500)).toEqual([]);
      expect(statuses.filter((s) => s === 200)).toHaveLength(90);
      expect(statuses.filter((s) => s === 422)).toHaveLength(10);
      const health = await fetch(`${server.url}/v1/health`);
      expect(health.status).toBe(200);
    } finally {
      await server.close();
      await f.h.close();
    }
  });

  it('answers 429 with Retry-After beyond the wait list, and serves again afterwards', async () => {
    const f = await exportFixture({ QUERY_TIMEOUT_MS: '300', QUERY_CONCURRENCY: '1', QUERY_QUEUE: '3' });
    const server = await f.h.listen();
    try {
      const results = await burst(server.url, f.acme, 100);
      expect(results.filter((r) => r.status >= 500)).toEqual([]);
      const limited = results.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(limited.every((r) => r.retryAfter === '1')).toBe(true);
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0);
      const again = await fetch(`${server.url}/v1/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${f.acme}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sql: 'SELECT count(*) AS n FROM units' }),
      });
      expect(again.status).toBe(200);
      expect((await again.json()).rows).toEqual([{ n: '9' }]);
    } finally {
      await server.close();
      await f.h.close();
    }
  });
});
