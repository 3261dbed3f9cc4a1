import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';

/** "GET /v1/wabas/{id}" for every route the app mounts (middleware registrations aside). */
function mountedRoutes(h: Harness): Set<string> {
  return new Set(
    h.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
  );
}

function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): Set<string> {
  return new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
}

describe('worker/routes: the OpenAPI document and the mounted routes', () => {
  let h: Harness;
  let server: { url: string; close(): Promise<void> };
  let doc: { paths: Record<string, Record<string, unknown>> };
  let key = '';
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness({ lookup: async () => ['93.184.216.34'] });
    server = await h.listen();
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'Europe/Berlin' }, ['N1']);
    const extra = await h.json('POST', '/v1/partners/acme/api-keys', { token: ADMIN, body: {} });
    const sub = await h.json('POST', '/v1/alert-subscriptions', {
      token: key,
      body: { url: 'https://hooks.example.com/alerts' },
    });
    const cards = await h.json('GET', '/v1/rate-cards', { token: key });
    Object.assign(ids, {
      partners: 'acme',
      keyId: extra.body.key_id,
      wabas: 'W1',
      'phone-numbers': 'N1',
      'alert-subscriptions': sub.body.subscription_id,
      'rate-cards': cards.body.rate_cards[0].card_id,
    });
    doc = (await h.json('GET', '/v1/openapi.json')).body;
  });
  afterAll(async () => {
    await server.close();
    await h.close();
  });

  it('documents every mounted route and mounts every documented one', () => {
    const mounted = mountedRoutes(h);
    const documented = documentedRoutes(doc);
    expect([...mounted].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((r) => !mounted.has(r))).toEqual([]);
    // Sanity: the walk sees the whole tree, nested phone-number routes included.
    expect(mounted.has('POST /v1/phone-numbers/{id}/funds/quotes')).toBe(true);
    expect(mounted.size).toBeGreaterThan(50);
  });

  it('answers every documented path and method on a real server (never 404 or 405)', async () => {
    const routes = [...documentedRoutes(doc)].sort((a, b) =>
      // Deletions last, so that what they remove was there for the others.
      a.startsWith('DELETE') === b.startsWith('DELETE')
        ? a.localeCompare(b)
        : a.startsWith('DELETE')
          ? 1
          : -1,
    );
    const answers: string[] = [];
    for (const route of routes) {
      const [method, template] = route.split(' ') as [string, string];
      const area = template.split('/')[2]!;
      const path = template
        .replace('{keyId}', ids.keyId!)
        .replace('{id}', encodeURIComponent(ids[area] ?? 'unknown'));
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${area === 'partners' ? ADMIN : key}` },
      });
      await res.arrayBuffer();
      answers.push(`${route} → ${res.status}`);
    }
    expect(answers.filter((a) => / → (404|405)$/.test(a))).toEqual([]);
    expect(answers.length).toBe(documentedRoutes(doc).size);
  });

  it('publishes the enums of the code and the shared schemas', () => {
    const op = (path: string, method: string, ...keys: string[]) => at(doc, 'paths', path, method, ...keys);
    const usage = op('/v1/usage', 'get', 'parameters') as { name: string; schema: unknown }[];
    expect(at(usage.find((p) => p.name === 'granularity')?.schema, 'enum')).toEqual([
      'hour',
      'day',
      'week',
      'month',
      'quarter',
    ]);
    expect(at(usage.find((p) => p.name === 'group_by')?.schema, 'items', 'enum')).toContain('template_name');
    const quote = op('/v1/phone-numbers/{id}/funds/quotes', 'post');
    expect(
      at(quote, 'requestBody', 'content', 'application/json', 'schema', 'properties', 'mode', 'enum'),
    ).toEqual(['one_time', 'auto_renewal']);
    expect(at(quote, 'parameters')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
      ]),
    );
    const funds = op('/v1/phone-numbers/{id}/funds', 'post', 'parameters');
    expect(funds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
      ]),
    );
    const charges = op('/v1/charges', 'get', 'responses', '200', 'content', 'application/json', 'schema');
    expect(at(charges, 'properties', 'data_through', 'example')).toBe('2026-11-30T23:58:12.000Z');
    expect(Object.keys(op('/v1/charges', 'get', 'responses') as object)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '406']),
    );
    expect(at(doc, 'components', 'schemas', 'Problem', 'required')).toEqual([
      'type',
      'title',
      'status',
      'code',
    ]);
    expect(op('/v1/payments/webhook', 'post', 'security')).toEqual([]);
  });
});

/** Walks a parsed JSON document by keys; undefined where a key is missing. */
function at(value: unknown, ...keys: string[]): unknown {
  let v = value;
  for (const k of keys)
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}
