/**
 * More numbers on the browser fixture, for the funding journey: an INR WABA (W2: P4, funded), a USD number of W1
 * whose balance ran out (P5: funded, then charged below zero), four weeks of recent spend on P1, and the list of
 * numbers a token for all of them names.
 */
import type { Page } from 'playwright-core';
import { postUsageCharges } from '../../worker/funding/post-usage-charges.js';
import { normalizeConfig } from '../../worker/config.js';
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { settleDueTopUps } from '../../worker/funding/settle-due.js';
import { createBrowserFixture, type BrowserFixture } from './browser-setup.js';

export const JOURNEY_NUMBERS = ['P1', 'P2', 'P4', 'P5'];
const ENV = { SETTLEMENT_DELAY_MS: '600000' };

export async function settledTopUp(f: BrowserFixture, phone: string, amount: string): Promise<void> {
  const q = await f.h.json('POST', `/v1/phone-numbers/${phone}/funds/quotes`, {
    token: f.key,
    body: { mode: 'one_time', amount, payment_method: 'bank_transfer' },
  });
  const t = await f.h.json('POST', `/v1/phone-numbers/${phone}/funds`, {
    token: f.key,
    body: { quote_id: q.body.quote_id },
    headers: { 'idempotency-key': `journey-${phone}` },
  });
  if (t.status !== 202) throw new Error(`top-up failed: ${JSON.stringify(t.body)}`);
  f.h.clock.advance(600_000);
  const jobConfig = normalizeConfig(ENV);
  await settleDueTopUps({
    db: f.h.db,
    money: f.h.money,
    config: jobConfig,
    domain: domainContextOf({ clock: f.h.clock, config: jobConfig }),
  });
}

/** A day's priced paid usage of a number, posted to its ledger by the charge sync (as a derivation does). */
export async function chargeDay(f: BrowserFixture, waba: string, phone: string, day: string, amount: string) {
  const ctx = domainContextOf({ clock: f.h.clock, config: normalizeConfig(ENV) });
  await f.h.db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO usage_daily (waba_id, phone_number_id, local_day, local_month, category, country, market,
         pricing_type, unit, currency, n_all, n_free, n_paid, amount)
       VALUES ($w, $p, $day::DATE, CAST(date_trunc('month', $day::DATE) AS DATE),
         'marketing', 'US', 'North America', 'regular', 'conversation', 'USD', 1, 0, 1,
         CAST($amt AS DECIMAL(38, 6)))`,
      { w: waba, p: phone, day, amt: amount },
    );
    await postUsageCharges(tx, [{ waba_id: waba, month: `${day.slice(0, 7)}-01` }], ctx);
  });
}

/** The browser fixture plus W2 (INR, P4 funded with 5,000) and P5 (W1, ran out: −2.50). */
export async function createJourneyFixture(): Promise<BrowserFixture> {
  const f = await createBrowserFixture();
  await f.h.waba(f.key, { waba_id: 'W2', timezone: 'Asia/Kolkata', currency: 'INR' }, ['P4']);
  await f.h.json('PATCH', '/v1/phone-numbers/P4', { token: f.key, body: { label: 'Mumbai' } });
  await f.h.json('POST', '/v1/phone-numbers', {
    token: f.key,
    body: { phone_number_id: 'P5', waba_id: 'W1' },
  });
  await f.h.json('PATCH', '/v1/phone-numbers/P5', { token: f.key, body: { label: 'Promo' } });
  await settledTopUp(f, 'P4', '5000');
  // Four weeks of recent spend on P1 (0.50 a day), so the runway has a suggestion to offer.
  const today = Date.parse(f.h.clock.now().toISOString().slice(0, 10));
  for (let d = 28; d >= 1; d--) {
    await chargeDay(f, 'W1', 'P1', new Date(today - d * 86_400_000).toISOString().slice(0, 10), '0.50');
  }
  await settledTopUp(f, 'P5', '1.50');
  f.h.clock.advance(3_600_000);
  await chargeDay(f, 'W1', 'P5', f.h.clock.now().toISOString().slice(0, 10), '4.00');
  return f;
}

/** Reads a text inside an element's shadow root. */
export function shadowText(page: Page, host: string, selector: string): Promise<string> {
  return page.locator(`${host} ${selector}`).first().innerText();
}
