import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { seedUnits } from './seed-units.js';

type Row = Record<string, unknown>;

// The HTTP surface of /v1/usage and /v1/charges: grouping, formats, validation, tenancy.
describe('GET /v1/usage and /v1/charges: API surface', () => {
  let h: Harness;
  let key: string;
  let other: string;
  beforeAll(async () => {
    h = await createHarness({ now: '2025-09-15T12:00:00Z' });
    key = await h.partner('acme');
    other = await h.partner('globex');
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1', 'P2']);
    await h.waba(key, { waba_id: 'W2', timezone: 'UTC', currency: 'EUR' }, ['P3']);
    await h.waba(other, { waba_id: 'WX', timezone: 'UTC' }, ['PX']);
    const pmp = { pricing_model: 'PMP' as const, is_template: true };
    await seedUnits(h, key, [
      {
        unit_id: 'u1',
        waba_id: 'W1',
        phone_number_id: 'P1',
        opened_at: '2025-08-01T10:00:00Z',
        category: 'marketing',
        recipient_country: 'US',
        rate_in: '0.0250',
        ...pmp,
      },
      {
        unit_id: 'u2',
        waba_id: 'W1',
        phone_number_id: 'P1',
        opened_at: '2025-08-02T10:00:00Z',
        category: 'utility',
        recipient_country: 'DE',
        market: 'Germany',
        recipient_wa_id: '4915112345678',
        in_csw: true,
        rate_in: '0.0550',
        ...pmp,
      },
      {
        unit_id: 'u3',
        waba_id: 'W1',
        phone_number_id: 'P2',
        opened_at: '2025-08-02T11:00:00Z',
        category: 'marketing',
        recipient_country: 'DE',
        market: 'Germany',
        recipient_wa_id: '4915112345678',
        rate_in: '0.1365',
        ...pmp,
      },
      {
        unit_id: 'u4',
        waba_id: 'W1',
        phone_number_id: 'P2',
        opened_at: '2025-09-01T11:00:00Z',
        category: 'marketing',
        recipient_country: 'DE',
        market: 'Germany',
        recipient_wa_id: '4915112345678',
        rate_in: '0.1365',
        ...pmp,
      },
      {
        unit_id: 'u5',
        waba_id: 'W2',
        phone_number_id: 'P3',
        opened_at: '2025-08-03T11:00:00Z',
        category: 'marketing',
        recipient_country: 'DE',
        market: 'Germany',
        recipient_wa_id: '4915112345678',
        rate_in: '0.1200',
        ...pmp,
      },
      // A CBP conversation in the same WABA month: unit is a key, conversations and messages never add up.
      {
        unit_id: 'u7',
        waba_id: 'W1',
        phone_number_id: 'P1',
        opened_at: '2023-08-01T10:00:00Z',
        category: 'marketing',
        rate_in: '0.0250',
      },
    ]);
    await seedUnits(h, other, [
      {
        unit_id: 'u6',
        waba_id: 'WX',
        phone_number_id: 'PX',
        opened_at: '2025-08-03T11:00:00Z',
        category: 'marketing',
        rate_in: '9.0000',
        ...pmp,
      },
    ]);
  });
  afterAll(() => h.close());

  const get = (path: string, token = key, headers: Record<string, string> = {}) =>
    h.json('GET', path, { token, headers });

  it('defaults to the last 12 months by the clock, all visible numbers, monthly', async () => {
    const r = await get('/v1/usage');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ granularity: 'month', from: '2024-10', to: '2025-09', group_by: [] });
    // u7 (2023) is outside the default range; WX belongs to another partner.
    expect(r.body.rows).toEqual([
      { period: '2025-08', unit: 'message', all: 4, free: 1, paid: 3 },
      { period: '2025-09', unit: 'message', all: 1, free: 0, paid: 1 },
    ]);
  });

  it('groups by any combination of keys, sorted by period then keys, whatever order they are named in', async () => {
    const r = await get(
      '/v1/usage?waba_id=W1&from=2025-08&to=2025-08&group_by=pricing_type,country&group_by=phone_number_id',
    );
    expect(r.body.group_by).toEqual(['phone_number_id', 'country', 'pricing_type']);
    expect(r.body.rows.map((x: Row) => [x.phone_number_id, x.country, x.pricing_type, x.all])).toEqual([
      ['P1', 'DE', 'free_customer_service', 1],
      ['P1', 'US', 'regular', 1],
      ['P2', 'DE', 'regular', 1],
    ]);
    const c = await get('/v1/usage?phone_number_id=P1,P2&from=2025-08&to=2025-08&group_by=category');
    expect(c.body.rows.map((x: Row) => [x.category, x.all, x.free, x.paid])).toEqual([
      ['marketing', 2, 0, 2],
      ['utility', 1, 1, 0],
    ]);
  });

  it('answers charges per currency: a partner with USD and EUR WABAs gets one row per currency', async () => {
    const r = await get('/v1/charges?from=2025-08&to=2025-08');
    expect(r.body.rows).toEqual([
      { period: '2025-08', unit: 'message', currency: 'EUR', paid: 1, amount: '0.120000' },
      { period: '2025-08', unit: 'message', currency: 'USD', paid: 2, amount: '0.161500' },
    ]);
  });

  it('keeps conversations and messages apart', async () => {
    const r = await get('/v1/usage?phone_number_id=P1&from=2023-08&to=2025-08');
    expect(r.body.rows).toEqual([
      { period: '2023-08', unit: 'conversation', all: 1, free: 0, paid: 1 },
      { period: '2025-08', unit: 'message', all: 2, free: 1, paid: 1 },
    ]);
  });

  it('answers daily buckets', async () => {
    const r = await get('/v1/usage?waba_id=W1&from=2025-08&to=2025-09&granularity=day');
    expect(r.body.rows.map((x: Row) => [x.period, x.all])).toEqual([
      ['2025-08-01', 1],
      ['2025-08-02', 2],
      ['2025-09-01', 1],
    ]);
  });

  it('answers CSV with typed periods (DATE) and the metadata in headers', async () => {
    const res = await h.call(
      'GET',
      '/v1/charges?waba_id=W1&from=2025-08&to=2025-08&group_by=phone_number_id',
      {
        token: key,
        headers: { accept: 'text/csv' },
      },
    );
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(await res.text()).toBe(
      'period,phone_number_id,unit,currency,paid,amount\n2025-08-01,P1,message,USD,1,0.025000\n2025-08-01,P2,message,USD,1,0.136500\n',
    );
    expect(res.headers.get('x-table-estimate')).toBe('true');
    expect(res.headers.get('x-table-granularity')).toBe('month');
  });

  it('answers an Arrow IPC stream with typed columns that parses back', async () => {
    const res = await h.call('GET', '/v1/usage?waba_id=W1&from=2025-08&to=2025-09&group_by=phone_number_id', {
      token: key,
      headers: { accept: 'application/vnd.apache.arrow.stream' },
    });
    expect(res.status).toBe(200);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'period',
      'phone_number_id',
      'unit',
      'all',
      'free',
      'paid',
    ]);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Date32<DAY>',
      'Utf8',
      'Utf8',
      'Int64',
      'Int64',
      'Int64',
    ]);
    const rows = table.toArray().map((r) => r.toJSON());
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(rows.map((r) => [day(r.period), r.phone_number_id, Number(r.all), Number(r.paid)])).toEqual([
      ['2025-08-01', 'P1', 2, 1],
      ['2025-08-01', 'P2', 1, 1],
      ['2025-09-01', 'P2', 1, 1],
    ]);
  });

  it('answers Parquet through the host', async () => {
    const res = await h.call('GET', '/v1/charges?waba_id=W1&from=2025-08&to=2025-08&format=parquet', {
      token: key,
    });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('PAR1');
  });

  it('answers 400 naming every bad parameter', async () => {
    const r = await get(
      '/v1/usage?from=2025-13&to=25-01&granularity=year&group_by=category,waba&phone_number_id=bad%20id&grop_by=x',
    );
    expect(r.status).toBe(400);
    const columns = (r.body.issues as { column: string }[]).map((i) => i.column).sort();
    expect(columns).toEqual(
      expect.arrayContaining(['from', 'to', 'granularity', 'group_by.1', 'phone_number_id.0']),
    );
    expect(r.body.issues).toContainEqual({ column: 'grop_by', reason: 'is not a known parameter' });
    const order = await get('/v1/charges?from=2025-08&to=2025-07');
    expect(order.status).toBe(400);
    expect(order.body.issues).toEqual([{ column: 'from', reason: 'must not be after to' }]);
    expect((await get('/v1/usage?format=xml')).status).toBe(400);
  });

  it('answers 404 for another tenant’s WABA or number, and 401 without a token', async () => {
    expect((await get('/v1/usage?waba_id=WX')).status).toBe(404);
    expect((await get('/v1/charges?phone_number_id=P1,PX')).status).toBe(404);
    expect((await get('/v1/usage?waba_id=W2&phone_number_id=P1')).status).toBe(404);
    expect((await h.call('GET', '/v1/usage')).status).toBe(401);
  });

  it('shows an embed token only its own numbers, and needs read-usage', async () => {
    const t = await h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['P2'], scopes: ['read-usage'] },
    });
    expect(t.status).toBe(201);
    const et = t.body.token as string;
    const all = await get('/v1/usage?from=2025-08&to=2025-09&group_by=phone_number_id', et);
    expect(all.body.rows.map((x: Row) => x.phone_number_id)).toEqual(['P2', 'P2']);
    expect((await get('/v1/usage?phone_number_id=P1', et)).status).toBe(404);
    expect((await get('/v1/charges?waba_id=W2', et)).status).toBe(404);
    const waba = await get('/v1/charges?waba_id=W1&from=2025-08&to=2025-08', et);
    expect(waba.body.rows).toEqual([
      { period: '2025-08', unit: 'message', currency: 'USD', paid: 1, amount: '0.136500' },
    ]);
    const noScope = await h.json('POST', '/v1/embed-tokens', {
      token: key,
      body: { phone_number_ids: ['P2'], scopes: ['read-balance'] },
    });
    expect((await get('/v1/usage', noScope.body.token as string)).status).toBe(403);
  });
});
