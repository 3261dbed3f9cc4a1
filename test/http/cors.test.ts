import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../worker/app.js';
import { withDomainContext } from '../../worker/app-services.js';
import { ManualClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import { QueryError, type Db } from '../../worker/db/db.js';
import { silentLogger } from '../../worker/env.js';
import { nodeHost } from '../../worker/node-host.js';
import { ADMIN, createHarness, SIGNING_SECRET, type Harness } from '../helpers/harness.js';

describe('worker/http/cors', () => {
  let h: Harness;
  let key: string;
  let token: string;
  const ALLOWED = 'https://portal.acme.test';
  const mint = async (body: Record<string, unknown>) =>
    (await h.json('POST', '/v1/embed-tokens', { token: key, body })).body.token as string;
  beforeAll(async () => {
    h = await createHarness();
    key = await h.partner('acme', [ALLOWED]);
    await h.partner('globex', ['https://globex.test']);
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
    token = await mint({ phone_number_ids: ['P1'], scopes: ['read-usage', 'read-balance', 'add-funds'] });
  });
  afterAll(() => h.close());

  it("allows the partner's own origin and exposes the request id", async () => {
    const r = await h.call('GET', '/v1/phone-numbers/P1', { token, headers: { origin: ALLOWED } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(r.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
    expect(r.headers.get('vary')).toContain('Origin');
  });

  it("does not allow another partner's origin or an unknown one", async () => {
    for (const origin of ['https://globex.test', 'https://evil.test']) {
      const r = await h.call('GET', '/v1/phone-numbers/P1', { token, headers: { origin } });
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('labels every error answer for an allowed origin: 401 expired, 403, 404, 422', async () => {
    const headers = { origin: ALLOWED };
    const short = await mint({ phone_number_ids: ['P1'], scopes: ['read-usage'], ttl_seconds: 1 });
    h.clock.advance(2_000);
    const expired = await h.call('GET', '/v1/usage', { token: short, headers });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { detail: string }).detail).toMatch(/expired/);

    const narrow = await mint({ phone_number_ids: ['P1'], scopes: ['read-balance'] });
    const forbidden = await h.call('GET', '/v1/usage', { token: narrow, headers });
    expect(forbidden.status).toBe(403);

    const notFound = await h.call('GET', '/v1/phone-numbers/P9', { token, headers });
    expect(notFound.status).toBe(404);

    const quote = await h.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      token,
      body: { mode: 'one_time', amount: '10', payment_method: 'bank_transfer' },
    });
    const other = await h.json('POST', '/v1/phone-numbers/P1/funds/quotes', {
      token,
      body: { mode: 'one_time', amount: '11', payment_method: 'bank_transfer' },
    });
    const pay = (quoteId: string) =>
      h.call('POST', '/v1/phone-numbers/P1/funds', {
        token,
        body: { quote_id: quoteId },
        headers: { ...headers, 'idempotency-key': 'cors-422' },
      });
    expect((await pay(quote.body.quote_id)).status).toBe(202);
    const reused = await pay(other.body.quote_id);
    expect(reused.status).toBe(422);

    const noRoute = await h.call('GET', '/v1/nothing-here', { token, headers });
    expect(noRoute.status).toBe(404);

    for (const r of [expired, forbidden, notFound, reused, noRoute]) {
      expect(r.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    // The same errors for a foreign origin stay unreadable to its pages.
    const foreign = await h.call('GET', '/v1/usage', {
      token: short,
      headers: { origin: 'https://evil.test' },
    });
    expect(foreign.status).toBe(401);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('labels a 500 for an allowed origin too', async () => {
    // A store whose usage query fails: the answer is a 500 problem, readable by the partner's page.
    const failing: Db = new Proxy(h.db, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        if (prop !== 'all' && prop !== 'columns') return v.bind(target);
        // Tenancy and CORS lookups work; the usage query itself fails.
        return (sql: string, params?: Record<string, unknown>) => {
          if (!/partner_origins|phone_numbers|wabas/.test(sql)) throw new QueryError('boom', sql);
          return (v as Db['all']).call(target, sql, params as never);
        };
      },
    });
    const app = createApp(
      withDomainContext({
        db: failing,
        money: h.money,
        clock: new ManualClock('2025-08-15T12:00:00Z'),
        config: normalizeConfig({
          ADMIN_TOKEN: ADMIN,
          SIGNING_SECRET,
          DB_PATH: ':memory:',
          DEMO_DATA: 'false',
        }),
        log: silentLogger,
        host: nodeHost(h.db),
        services: h.services,
      }),
    );
    const r = await app.request('/v1/usage?phone_number_id=P1', {
      headers: { authorization: `Bearer ${token}`, origin: ALLOWED },
    });
    expect(r.status).toBe(500);
    expect(r.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('answers preflights for known origins, and refuses others with a problem naming the origin', async () => {
    const ok = await h.call('OPTIONS', '/v1/usage', {
      headers: { origin: ALLOWED, 'access-control-request-method': 'GET' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(ok.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    const bad = await h.call('OPTIONS', '/v1/usage', {
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' },
    });
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    const problem = (await bad.json()) as { code: string; detail: string };
    expect(problem.code).toBe('origin_not_allowed');
    expect(problem.detail).toContain('https://evil.test');
  });

  it('tells any origin, through a request needing no preflight, whether the token allows it', async () => {
    const check = async (origin: string, body: string) => {
      const r = await h.call('POST', '/v1/embed-tokens/origin-check', {
        body,
        headers: { origin, 'content-type': 'text/plain' },
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBe('*');
      return r.json();
    };
    expect(await check(ALLOWED, token)).toEqual({ origin: ALLOWED, origin_allowed: true, token: 'valid' });
    expect(await check('https://globex.test', token)).toEqual({
      origin: 'https://globex.test',
      origin_allowed: false,
      token: 'valid',
    });
    const short = await mint({ phone_number_ids: ['P1'], scopes: ['read-usage'], ttl_seconds: 1 });
    h.clock.advance(2_000);
    expect(await check(ALLOWED, short)).toMatchObject({ origin_allowed: true, token: 'expired' });
    expect(await check(ALLOWED, 'et_forged.00')).toMatchObject({ origin_allowed: false, token: 'invalid' });
  });

  it('streamed answers to an allowed origin never wait on each other (several at once all finish)', async () => {
    const units = Array.from({ length: 5 }, (_, i) =>
      JSON.stringify({
        unit_id: `cors-stream-${i}`,
        pricing_model: 'PMP',
        unit: 'message',
        waba_id: 'W1',
        phone_number_id: 'P1',
        recipient_wa_id: '15550001111',
        category: 'marketing',
        status_final: 'delivered',
        opened_at: `2025-08-0${i + 1}T10:00:00Z`,
      }),
    ).join('\n');
    const ingested = await h.call('POST', '/v1/ingest', {
      token: key,
      body: `${units}\n`,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(ingested.status).toBe(200);
    // Each streamed table keeps its reader until its body is read; the CORS decision must not need one then.
    const calls = Array.from({ length: 6 }, async () => {
      const r = await h.call('GET', '/v1/usage?from=2025-08&to=2025-08&group_by=phone_number_id', {
        token,
        headers: { origin: ALLOWED },
      });
      const body = (await r.json()) as { rows: { all: number }[] };
      return { allow: r.headers.get('access-control-allow-origin'), all: body.rows[0]?.all };
    });
    const stuck = new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 20_000).unref());
    const answers = await Promise.race([Promise.all(calls), stuck]);
    expect(answers).toEqual(Array.from({ length: 6 }, () => ({ allow: ALLOWED, all: 5 })));
  });
});
