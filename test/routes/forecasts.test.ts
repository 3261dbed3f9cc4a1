import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

describe('worker/routes/forecasts', () => {
  let h: Harness;
  let key: string;
  let embedNoUsage: string;
  let embedUsage: string;
  beforeAll(async () => {
    h = await createHarness();
    key = await h.partner('acme');
    await h.waba(key, { waba_id: 'W1', timezone: 'Europe/Berlin' }, ['P1']);
    const mint = async (scopes: string[]): Promise<string> =>
      (await h.json('POST', '/v1/embed-tokens', { token: key, body: { phone_number_ids: ['P1'], scopes } }))
        .body.token;
    embedNoUsage = await mint(['read-balance']);
    embedUsage = await mint(['read-usage']);
  });
  afterAll(() => h.close());

  it('forecasts JSON series given as values and as dated points', async () => {
    const r = await h.json('POST', '/v1/forecasts', {
      token: key,
      body: {
        series: [
          { id: 'flat', values: [1, 2, 3, 4, 5, 6] },
          {
            id: 'months',
            points: [
              { period: '2024-12', value: 12 },
              { period: '2024-11', value: 10 },
              { period: '2025-01', value: 14 },
            ],
          },
        ],
        horizon: 2,
        season_length: 3,
        method: 'snaive',
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.levels).toEqual([80, 95]);
    const [flat, months] = r.body.results;
    expect(flat.series_id).toBe('flat');
    expect(flat.method).toBe('snaive');
    expect(flat.forecast.map((f: { mean: number }) => f.mean)).toEqual([4, 5]);
    expect(Object.keys(flat.forecast[0])).toEqual([
      'h',
      'mean',
      'lower_80',
      'upper_80',
      'lower_95',
      'upper_95',
    ]);
    expect(flat.backtest).toMatchObject({ horizon: 2, method: 'snaive' });
    expect(flat.backtest.mase).toBeGreaterThan(0);
    // Points are sorted by period; seasonal naive on 3 points with m = 3 falls back to naive (lag 1).
    expect(months.forecast.map((f: { period: string; mean: number }) => [f.period, f.mean])).toEqual([
      ['2025-02', 14],
      ['2025-03', 14],
    ]);
  });

  it('picks a method automatically with an embed token holding read-usage', async () => {
    const y = [
      112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170, 158,
      133, 114, 140,
    ];
    const r = await h.json('POST', '/v1/forecasts', {
      token: embedUsage,
      body: { series: [{ id: 'air', values: y }], horizon: 3, levels: [90] },
    });
    expect(r.status).toBe(200);
    expect(r.body.results[0].method).toMatch(/^combo\(/);
    const f = r.body.results[0].forecast[0];
    expect(f.lower_90).toBeLessThan(f.mean);
    expect(f.upper_90).toBeGreaterThan(f.mean);
  });

  it('takes long CSV with options in the query and answers CSV on request', async () => {
    const res = await h.call('POST', '/v1/forecasts?horizon=2&season_length=1&levels=80&method=naive', {
      token: key,
      body: 'series_id,t,value\nb,2,5\nb,1,4\na,1,1\na,2,3\n',
      headers: { 'content-type': 'text/csv', accept: 'text/csv' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('series_id,method,h,mean,lower_80,upper_80');
    // b sorted by t → [4, 5], naive 5; σ of differences = 1 → 80 %: 5 ± 1.28155…
    expect(lines[1]).toMatch(/^b,naive,1,5,3\.718/);
    expect(lines[3]).toMatch(/^a,naive,1,3,/);
    expect(lines).toHaveLength(5);
  });

  it('takes Arrow IPC and answers Arrow on request', async () => {
    const body = tableToIPC(
      tableFromArrays({
        series_id: ['x', 'x', 'x'],
        t: Int32Array.from([1, 2, 3]),
        value: Float64Array.from([2, 4, 6]),
      }),
      'stream',
    );
    const res = await h.call('POST', '/v1/forecasts?horizon=1&method=naive', {
      token: key,
      body,
      headers: {
        'content-type': 'application/vnd.apache.arrow.stream',
        accept: 'application/vnd.apache.arrow.stream',
      },
    });
    expect(res.status).toBe(200);
    const t = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(t.getChild('series_id')!.get(0)).toBe('x');
    expect(t.getChild('mean')!.get(0)).toBe(6);
  });

  it('answers 400 naming the series and index of a non-finite value', async () => {
    const r = await h.json('POST', '/v1/forecasts', {
      token: key,
      body: {
        series: [
          { id: 'ok', values: [1, 2] },
          { id: 'bad', values: [1, null, 3] },
        ],
        horizon: 2,
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.issues).toEqual([
      { column: 'series.1.values.1', reason: 'series bad: value at index 1 is not a finite number' },
    ]);
  });

  it('answers 400 for bad options, gaps in periods and bad CSV lines', async () => {
    const bad = async (body: unknown): Promise<number> =>
      (await h.call('POST', '/v1/forecasts', { token: key, body })).status;
    expect(await bad({ series: [{ id: 'a', values: [1] }], horizon: 0 })).toBe(400);
    expect(await bad({ series: [{ id: 'a', values: [1] }], horizon: 61 })).toBe(400);
    expect(await bad({ series: [{ id: 'a', values: [1] }], horizon: 2, levels: [100] })).toBe(400);
    expect(await bad({ series: [], horizon: 2 })).toBe(400);
    expect(await bad({ series: [{ id: 'a', values: new Array(10_001).fill(1) }], horizon: 2 })).toBe(400);
    const gap = await h.json('POST', '/v1/forecasts', {
      token: key,
      body: {
        series: [
          {
            id: 'g',
            points: [
              { period: '2025-01', value: 1 },
              { period: '2025-03', value: 2 },
            ],
          },
        ],
        horizon: 1,
      },
    });
    expect(gap.status).toBe(400);
    expect(gap.body.issues[0].reason).toBe('series g: gap before period 2025-03');
    const csv = await h.call('POST', '/v1/forecasts?horizon=2', {
      token: key,
      body: 'series_id,t,value\na,1,1\na,2,abc\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(csv.status).toBe(400);
    const problem = await csv.json();
    expect(problem.issues).toEqual([
      { line: 3, column: 'value', reason: 'value "abc" is not a finite number' },
    ]);
    const noHorizon = await h.call('POST', '/v1/forecasts', {
      token: key,
      body: 'series_id,t,value\na,1,1\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect(noHorizon.status).toBe(400);
    const xml = await h.call('POST', '/v1/forecasts', {
      token: key,
      body: '<a/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
  });

  it('needs a token with read-usage', async () => {
    const body = { series: [{ id: 'a', values: [1, 2, 3] }], horizon: 1 };
    expect((await h.call('POST', '/v1/forecasts', { body })).status).toBe(401);
    expect((await h.call('POST', '/v1/forecasts', { token: embedNoUsage, body })).status).toBe(403);
  });
});
