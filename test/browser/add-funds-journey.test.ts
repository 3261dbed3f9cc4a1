import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toMicros } from '../../worker/kernel/money.js';
import { SCREENSHOTS, seriousViolations, type BrowserFixture } from './browser-setup.js';
import { createJourneyFixture, JOURNEY_NUMBERS } from './journey-setup.js';

const money = (locale: string, currency: string, v: string | number) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(v));

describe('widgets in Chromium: the add-funds journey', () => {
  let f: BrowserFixture;
  let token: string;
  beforeAll(async () => {
    f = await createJourneyFixture();
    token = await f.mint({ phone_number_ids: JOURNEY_NUMBERS });
  });
  afterAll(() => f?.close());

  it('de-DE: methods of the currency, balance and estimate, "50,00" with its fee live, review, pending', async () => {
    const page = await f.open('ci-add-funds', token, { locale: 'de-DE', 'phone-number-id': 'P1' });
    const wizard = page.locator('ci-add-funds');
    await wizard.locator('select#method:not([disabled])').waitFor();
    // USD: the service offers no Pix.
    const methods = await wizard
      .locator('select#method option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(methods).toEqual(['card', 'bank_transfer']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/add-funds-step1.png`, fullPage: true });
    await wizard.locator('[data-testid=next]').click();

    // Step 2: the balance and currency, and the runway's suggestion as "enough for N days".
    const balance = (await f.h.json('GET', '/v1/phone-numbers/P1/balance', { token })).body;
    await expect
      .poll(() => wizard.locator('[data-testid=current-balance]').innerText())
      .toContain(money('de-DE', 'USD', balance.balance));
    expect(await wizard.locator('[data-testid=current-balance]').innerText()).toContain('USD');
    const runway = (await f.h.json('GET', '/v1/phone-numbers/P1/runway', { token })).body;
    const rec = runway.recommended as { amount: string; daily_average: string };
    const days = Number(toMicros(rec.amount) / toMicros(rec.daily_average));
    expect(days).toBeGreaterThan(0);
    const estimate = wizard.locator('[data-testid=estimate]');
    await expect.poll(() => estimate.innerText()).toContain(`${days}`);
    expect(await estimate.innerText()).toContain(money('de-DE', 'USD', rec.amount));

    // Typed the German way; the card fee (4 %) and the total follow each keystroke.
    await wizard.locator('input#amount').fill('50,00');
    await expect
      .poll(() => wizard.locator('[data-testid=live]').innerText())
      .toContain(money('de-DE', 'USD', 2));
    expect(await wizard.locator('[data-testid=live]').innerText()).toContain(money('de-DE', 'USD', 52));
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/add-funds-step2-de.png`, fullPage: true });

    // "50.00" in German could be fifty or five thousand: refused, with the German way to write it.
    await wizard.locator('input#amount').fill('50.00');
    await wizard.locator('[data-testid=next]').click();
    await expect.poll(() => wizard.locator('[role=alert]').innerText()).toContain('50,00');
    expect(await wizard.locator('[data-testid=quote]').count()).toBe(0);

    // The suggestion button fills the field as a German user would type it.
    await wizard.locator('[data-testid=estimate] button').click();
    expect(await wizard.locator('input#amount').inputValue()).toBe(
      new Intl.NumberFormat('de-DE', { minimumFractionDigits: 2, useGrouping: false }).format(
        Number(rec.amount),
      ),
    );
    await wizard.locator('input#amount').fill('50,00');
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('[data-testid=quote]').waitFor();
    expect(await wizard.locator('[data-testid=amount]').innerText()).toBe(money('de-DE', 'USD', 50));
    expect(await wizard.locator('[data-testid=fee]').innerText()).toBe(money('de-DE', 'USD', 2));
    expect(await wizard.locator('[data-testid=total]').innerText()).toBe(money('de-DE', 'USD', 52));
    expect(await wizard.locator('[data-testid=threshold]').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}/add-funds-step3-de.png`, fullPage: true });
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('[data-testid=pending]').waitFor();
    const topups = (await f.h.json('GET', '/v1/phone-numbers/P1/funds', { token })).body.topups;
    expect(topups[0]).toMatchObject({ status: 'pending', amount: '50.000000', total: '52.000000' });
    await page.close();
  });

  it('INR auto-renewal: no Pix, amount and threshold in en-IN, the review shows the threshold and the charges', async () => {
    const page = await f.open('ci-add-funds', token, { locale: 'en-IN', 'phone-number-id': 'P4' });
    const wizard = page.locator('ci-add-funds');
    await wizard.locator('select#method:not([disabled])').waitFor();
    const methods = await wizard
      .locator('select#method option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(methods).toEqual(['card', 'bank_transfer']);
    await wizard.locator('input[value=auto_renewal]').check();
    await wizard.locator('select#method').selectOption('bank_transfer');
    await wizard.locator('[data-testid=next]').click();
    await expect
      .poll(() => wizard.locator('[data-testid=current-balance]').innerText())
      .toContain(money('en-IN', 'INR', 5000));
    await wizard.locator('input#amount').fill('1,500.50');
    await wizard.locator('input#threshold').fill('500');
    await expect
      .poll(() => wizard.locator('[data-testid=live]').innerText())
      .toContain(money('en-IN', 'INR', 1500.5));
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('[data-testid=quote]').waitFor();
    expect(await wizard.locator('[data-testid=threshold]').innerText()).toBe(money('en-IN', 'INR', 500));
    const note = await wizard.locator('[data-testid=renewal-note]').innerText();
    expect(note).toContain(money('en-IN', 'INR', 1500.5));
    expect(note).toContain(money('en-IN', 'INR', 500));
    expect(note).toMatch(/now and again each time/);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/add-funds-review-renewal-inr.png`, fullPage: true });
    await wizard.locator('[data-testid=next]').click();
    await wizard.locator('[data-testid=pending]').waitFor();
    const saved = (await f.h.json('GET', '/v1/phone-numbers/P4/auto-renewal', { token })).body.auto_renewal;
    expect(saved).toMatchObject({ enabled: true, threshold: '500.000000', amount: '1500.500000' });
    await page.close();
  });

  it('a number that ran out says so on the amount step', async () => {
    const page = await f.open('ci-add-funds', token, { locale: 'en-US', 'phone-number-id': 'P5' });
    const wizard = page.locator('ci-add-funds');
    await wizard.locator('select#method:not([disabled])').waitFor();
    await wizard.locator('[data-testid=next]').click();
    const notice = wizard.locator('[data-testid=ran-out]');
    await notice.waitFor();
    expect(await notice.innerText()).toMatch(/Ran out on .*paid messages are blocked/);
    expect(await wizard.locator('[data-testid=current-balance]').innerText()).toContain(
      money('en-US', 'USD', -2.5),
    );
    await page.close();
  });
});
