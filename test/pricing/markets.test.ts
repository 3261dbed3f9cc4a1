import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
let key: string;
beforeAll(async () => {
  h = await createHarness();
  key = await h.partner('p1');
});
afterAll(() => h.close());

async function market(number: string, date?: string) {
  const q = new URLSearchParams({ number, ...(date ? { date } : {}) });
  const r = await h.json('GET', `/v1/markets?${q}`, { token: key });
  expect(r.status).toBe(200);
  return r.body as { market: string; country: string | null };
}

describe('GET /v1/markets', () => {
  it('uses the longest calling-code prefix', async () => {
    expect(await market('+4915112345678')).toMatchObject({ market: 'Germany', country: 'DE' });
    expect(await market('4312345678')).toMatchObject({ market: 'Rest of Western Europe', country: 'AT' });
    expect(await market('+35312345678')).toMatchObject({ market: 'Rest of Western Europe', country: 'IE' });
    expect(await market('+971501234567')).toMatchObject({ market: 'United Arab Emirates', country: 'AE' });
    expect(await market('+97225555555')).toMatchObject({ market: 'Israel', country: 'IL' });
    expect(await market('+919812345678')).toMatchObject({ market: 'India', country: 'IN' });
    expect(await market('+2348012345678')).toMatchObject({ market: 'Nigeria', country: 'NG' });
    expect(await market('+79161234567')).toMatchObject({ market: 'Russia', country: 'RU' });
  });

  it('maps the +1 network-prefix exceptions to Rest of Latin America', async () => {
    expect(await market('+15551234567')).toMatchObject({ market: 'North America', country: 'US' });
    expect(await market('+14165551234')).toMatchObject({ market: 'North America', country: 'CA' });
    for (const [n, c] of [
      ['18095551234', 'DO'],
      ['18295551234', 'DO'],
      ['18495551234', 'DO'],
      ['16585551234', 'JM'],
      ['18765551234', 'JM'],
      ['17875551234', 'PR'],
      ['19395551234', 'PR'],
    ])
      expect(await market(n!)).toMatchObject({ market: 'Rest of Latin America', country: c });
  });

  it('remaps Zimbabwe from Other to Rest of Africa on 2025-10-01', async () => {
    expect(await market('+263771234567', '2025-09-30')).toMatchObject({ market: 'Other', country: 'ZW' });
    expect(await market('+263771234567', '2025-10-01')).toMatchObject({
      market: 'Rest of Africa',
      country: 'ZW',
    });
  });

  it('answers Other with no country for unknown prefixes', async () => {
    expect(await market('+98912345678')).toEqual(expect.objectContaining({ market: 'Other', country: null }));
    expect(await market('+8008123')).toEqual(expect.objectContaining({ market: 'Other', country: null }));
  });

  it('rejects a number without digits and needs a token', async () => {
    expect((await h.json('GET', '/v1/markets?number=abc', { token: ADMIN })).status).toBe(400);
    expect((await h.json('GET', '/v1/markets?number=+4912')).status).toBe(401);
  });
});
