/**
 * The journey fixture made to show scope and balance states: WABAs named (W1 "Acme US", W2 "Acme India"), P7
 * (W1) at exactly zero after running out, W3 "Acme EU" with P8 funded and units up to the running month, and a
 * token for all of them. Pages open with the browser's clock set (the service's own clock by default), so
 * "data up to …" and the running month are deterministic.
 */
import type { Page } from 'playwright-core';
import type { BrowserFixture } from './browser-setup.js';
import { chargeDay, createJourneyFixture, settledTopUp } from './journey-setup.js';

export const SCOPE_NUMBERS = ['P1', 'P2', 'P4', 'P5', 'P7', 'P8'];

export const usd = (v: string | number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(v));

/** Marketing conversations of P8 (W3): four a month from March, and two so far in the running month (June). */
function unitsOfP8(): string {
  const days = ['2025-03-04', '2025-04-04', '2025-05-04', '2025-06-02', '2025-06-08'];
  return days
    .flatMap((day, d) =>
      Array.from({ length: day.startsWith('2025-06') ? 1 : 4 }, (_, i) =>
        JSON.stringify({
          unit_id: `p8-${d}-${i}`,
          pricing_model: 'CBP',
          unit: 'conversation',
          waba_id: 'W3',
          phone_number_id: 'P8',
          recipient_wa_id: '15550002222',
          recipient_country: 'US',
          market: 'North America',
          category: 'marketing',
          status_final: 'delivered',
          opened_at: `${day}T09:0${i}:00.000Z`,
        }),
      ),
    )
    .join('\n');
}

export interface ScopeFixture {
  readonly f: BrowserFixture;
  readonly token: string;
  /** Opens the sandbox (en-US) with the browser's clock at `now` (the service's own clock unless given). */
  open(widgets: string, attrs?: Record<string, string>, now?: Date): Promise<Page>;
}

export async function createScopeFixture(): Promise<ScopeFixture> {
  const f = await createJourneyFixture();
  await f.h.json('PATCH', '/v1/wabas/W1', { token: f.key, body: { name: 'Acme US' } });
  await f.h.json('PATCH', '/v1/wabas/W2', { token: f.key, body: { name: 'Acme India' } });
  // P7 (W1): funded with 1.00, then charged exactly 1.00: a balance of zero that ran out.
  await f.h.json('POST', '/v1/phone-numbers', {
    token: f.key,
    body: { phone_number_id: 'P7', waba_id: 'W1' },
  });
  await f.h.json('PATCH', '/v1/phone-numbers/P7', { token: f.key, body: { label: 'Zero' } });
  await settledTopUp(f, 'P7', '1.00');
  f.h.clock.advance(3_600_000);
  await chargeDay(f, 'W1', 'P7', f.h.clock.now().toISOString().slice(0, 10), '1.00');
  // W3 (USD): P8, funded, with units up to the running month (its own WABA: W1's fixture rows stay as they are).
  await f.h.waba(f.key, { waba_id: 'W3', timezone: 'UTC', currency: 'USD', name: 'Acme EU' }, ['P8']);
  await f.h.json('PATCH', '/v1/phone-numbers/P8', { token: f.key, body: { label: 'Growth' } });
  await settledTopUp(f, 'P8', '100');
  const ingest = await f.h.call('POST', '/v1/ingest', {
    token: f.key,
    body: `${unitsOfP8()}\n`,
    headers: { 'content-type': 'application/x-ndjson' },
  });
  if (ingest.status !== 200) throw new Error(`ingest failed: ${await ingest.text()}`);
  const token = await f.mint({ phone_number_ids: SCOPE_NUMBERS });
  return {
    f,
    token,
    async open(widgets, attrs = {}, now) {
      const page = await f.context.newPage();
      page.on('pageerror', (err) => console.error('[pageerror]', err.message));
      await page.clock.setFixedTime(now ?? f.h.clock.now());
      const qs = new URLSearchParams({ widgets, token, locale: 'en-US', ...attrs });
      await page.goto(`${f.url}/sandbox.html?${qs}`);
      return page;
    },
  };
}
