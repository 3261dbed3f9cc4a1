import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, seriousViolations, type BrowserFixture } from './browser-setup.js';
import de from '../../widgets/src/locales/de.js';
import { MESSAGES, type Catalogue, type MessageKey } from '../../widgets/src/messages.js';
import { createJourneyFixture, JOURNEY_NUMBERS } from './journey-setup.js';

/** The German text of a message (English where the German catalogue has none). */
const deText = (key: MessageKey): string => (de as Catalogue)[key] ?? MESSAGES[key];

describe('widgets in Chromium: the auto-renewal panel', () => {
  let f: BrowserFixture;
  beforeAll(async () => {
    f = await createJourneyFixture();
  });
  afterAll(() => f?.close());

  it('shows the saved settings, edits the amount in the locale and keeps the saved cap, then switches off', async () => {
    const saved = await f.h.json('PUT', '/v1/phone-numbers/P2/auto-renewal', {
      token: f.key,
      body: {
        enabled: true,
        threshold: '5',
        amount: '20',
        monthly_cap: '150',
        low_balance_threshold: '8',
        payment_method: 'bank_transfer',
      },
    });
    expect(saved.status).toBe(200);
    const token = await f.mint({ phone_number_ids: JOURNEY_NUMBERS });
    const page = await f.open('ci-auto-renewal', token, { locale: 'de-DE' });
    const panel = page.locator('ci-auto-renewal');
    // Several numbers: a selector, and the card names the number it shows.
    await panel.locator('select#number').waitFor();
    await panel.locator('select#number').selectOption('P2');
    await expect.poll(() => panel.locator('[data-testid=scope]').innerText()).toBe('Support');
    const eur = (v: number) =>
      new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'USD' }).format(v);
    await expect.poll(() => panel.locator('[data-testid=cap]').innerText()).toBe(eur(150));
    expect(await panel.locator('[data-testid=status]').innerText()).toBe(deText('renewalStatusOn'));
    expect(await panel.locator('[data-testid=method]').innerText()).toBe(deText('methodBankTransfer'));
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/auto-renewal-panel.png`, fullPage: true });

    await panel.locator('[data-testid=edit]').click();
    // The form is prefilled as a German user types amounts.
    expect(await panel.locator('input#cap').inputValue()).toBe('150,00');
    await panel.locator('input#amount').fill('30.00');
    await panel.locator('[data-testid=save]').click();
    // "30.00" in de-DE could be thirty or three thousand: refused with a clear message, nothing saved.
    await expect.poll(() => panel.locator('[role=alert]').innerText()).toContain('30,00');
    await panel.locator('input#amount').fill('30,00');
    await panel.locator('[data-testid=save]').click();
    await expect.poll(() => panel.locator('[data-testid=amount]').innerText()).toBe(eur(30));
    await page.screenshot({ path: `${SCREENSHOTS}/auto-renewal-panel-saved.png`, fullPage: true });
    let api = (await f.h.json('GET', '/v1/phone-numbers/P2/auto-renewal', { token })).body.auto_renewal;
    expect(api).toMatchObject({
      enabled: true,
      amount: '30.000000',
      monthly_cap: '150.000000',
      low_balance_threshold: '8.000000',
      payment_method: 'bank_transfer',
    });

    await panel.locator('[data-testid=toggle]').click();
    await expect
      .poll(() => panel.locator('[data-testid=status]').innerText())
      .toBe(deText('renewalStatusOff'));
    api = (await f.h.json('GET', '/v1/phone-numbers/P2/auto-renewal', { token })).body.auto_renewal;
    expect(api).toMatchObject({ enabled: false, amount: '30.000000', monthly_cap: '150.000000' });
    expect(await panel.locator('[data-testid=cap]').innerText()).toBe(eur(150));
    await page.close();
  });
});
