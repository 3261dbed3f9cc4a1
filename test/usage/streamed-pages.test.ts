import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedUnits, series } from './seed-units.js';

type Row = Record<string, unknown>;
const N = 50_000;
// Every unit its own template: one row per unit, N rows in all.
const QUERY = '/v1/usage?from=2025-07-01&to=2025-08-31&granularity=hour&tz=UTC&group_by=template_name';

/** Reads a body over the wire, counting the chunks the reader hands over. */
async function readChunks(res: Response): Promise<{ text: string; chunks: number }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks++;
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), chunks };
}

describe('large usage pages are streamed', () => {
  let h: Harness;
  let key: string;
  let server: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    h = await createHarness({ now: '2025-09-15T12:00:00Z' });
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC', currency: 'USD' }, ['P1']);
    const units = series(
      N,
      '2025-07-01T00:00:00Z',
      { waba_id: 'W1', phone_number_id: 'P1', category: 'marketing' },
      'u',
    );
    for (let i = 0; i < N; i += 10_000)
      await seedUnits(
        h,
        key,
        units.slice(i, i + 10_000).map((u) => ({ ...u, is_template: true, template_name: `t-${u.unit_id}` })),
      );
    server = await h.listen();
  }, 240_000);
  afterAll(async () => {
    await server.close();
    await h.close();
  });

  const get = (path: string) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${key}` } });

  /** The same answer from the store's whole-result path (a store that cannot stream). */
  async function unstreamed(path: string): Promise<string> {
    Object.defineProperty(h.db, 'streamColumns', { value: undefined, configurable: true });
    try {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).not.toBeNull();
      return await res.text();
    } finally {
      delete (h.db as { streamColumns?: unknown }).streamColumns;
    }
  }

  it('sends a 50,000-row JSON page in many chunks, equal to the whole-result answer', async () => {
    const res = await get(`${QUERY}&limit=100000`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    // A body built whole has a length up front; a streamed one is sent in chunks as it is written.
    expect(res.headers.get('content-length')).toBeNull();
    const { text, chunks } = await readChunks(res);
    expect(chunks).toBeGreaterThan(1);
    const body = JSON.parse(text) as { rows: Row[]; next_cursor: string | null };
    expect(body.rows).toHaveLength(N);
    expect(body.next_cursor).toBeNull();
    expect(body).toEqual(JSON.parse(await unstreamed(`${QUERY}&limit=100000`)));
  }, 120_000);

  it('pages through the same rows with next_cursor read after the last row', async () => {
    const all = (JSON.parse(await unstreamed(QUERY)) as { rows: Row[] }).rows;
    const first = (await (await get(`${QUERY}&limit=30000`)).json()) as { rows: Row[]; next_cursor: string };
    expect(first.rows).toHaveLength(30_000);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await (await get(`${QUERY}&limit=30000&cursor=${first.next_cursor}`)).json()) as {
      rows: Row[];
      next_cursor: string | null;
    };
    expect(second.rows).toHaveLength(N - 30_000);
    expect(second.next_cursor).toBeNull();
    expect([...first.rows, ...second.rows]).toEqual(all);
  }, 120_000);

  it('reads a small first page of named numbers ahead, with the bytes and headers of the streamed answer', async () => {
    const stream = vi.spyOn(h.db, 'streamColumns');
    try {
      const small = '/v1/usage?from=2025-07-01&to=2025-07-02&granularity=hour&tz=UTC';
      for (const rest of ['&limit=7', '&format=csv', '', '&limit=7&format=csv']) {
        stream.mockClear();
        const named = await get(`${small}${rest}&phone_number_id=P1`);
        const namedText = await named.text();
        // A CSV page with a size needs its next cursor before its first row: it is streamed as before.
        expect(stream).toHaveBeenCalledTimes(rest === '&limit=7&format=csv' ? 1 : 0);
        stream.mockClear();
        const all = await get(`${small}${rest}`);
        expect(stream).toHaveBeenCalledTimes(1);
        expect(named.status).toBe(200);
        expect(namedText).toBe(await all.text());
        const headers = (r: Response) => [...r.headers].filter(([k]) => k.startsWith('x-table-'));
        expect(headers(named)).toEqual(headers(all));
        if (!rest.includes('csv')) expect(namedText).toContain('"data_through":"2025-');
      }
      // Past READ_AHEAD_ROWS rows the page read ahead is dropped and the page is streamed.
      stream.mockClear();
      const big = await get(`${QUERY}&phone_number_id=P1&limit=100000`);
      const bigBody = (await big.json()) as { rows: Row[] };
      expect(stream).toHaveBeenCalledTimes(1);
      expect(bigBody.rows).toHaveLength(N);
      expect(bigBody).toEqual(JSON.parse(await unstreamed(`${QUERY}&limit=100000`)));
      // A named number the caller cannot see is still a 404.
      expect((await get(`${small}&phone_number_id=P9`)).status).toBe(404);
    } finally {
      stream.mockRestore();
    }
  }, 120_000);

  it('streams CSV byte for byte as the whole-result answer, cursor header included', async () => {
    for (const path of [`${QUERY}&format=csv`, `${QUERY}&format=csv&limit=40000`]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBeNull();
      const { text, chunks } = await readChunks(res);
      expect(chunks).toBeGreaterThan(1);
      expect(text).toBe(await unstreamed(path));
      expect(text.split('\n')).toHaveLength((path.includes('limit') ? 40_000 : N) + 2);
      if (path.includes('limit')) expect(res.headers.get('x-table-next-cursor')).toMatch(/^[\w-]+$/);
    }
  }, 120_000);
});
