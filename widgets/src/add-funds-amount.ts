/**
 * Step 2 of the add-funds wizard, as pure templates: the number's balance and currency, the estimate from its
 * recent spend ("enough for N days", the runway's suggestion), and the fee and total while the amount is typed.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { renderBalanceState } from './balance-state.js';
import type { Translate } from './catalogue.js';
import type { PhoneBalance, RunwayResponse } from './data/api-types.js';
import { daysCovered, previewFee, type PaymentMethodOffer } from './data/fee-preview.js';
import type { FetchState } from './fetch-controller.js';
import { formatMoney } from './format.js';

export interface AmountContext {
  readonly t: Translate;
  readonly locale: string | undefined;
  readonly currency: string;
  readonly balance: PhoneBalance | null;
  readonly runway: FetchState<RunwayResponse | null>;
  /** The parsed amount, or null while the field is empty or unreadable. */
  readonly amount: string | null;
  readonly method: PaymentMethodOffer | undefined;
  readonly useSuggested: (amount: string, threshold: string) => void;
}

export interface AmountFields {
  readonly mode: 'one_time' | 'auto_renewal';
  readonly amount: string;
  readonly threshold: string;
  readonly setAmount: (text: string) => void;
  readonly setThreshold: (text: string) => void;
}

/** The whole step: balance, estimate, amount (typed as the locale writes it), live quote, threshold. */
export function renderAmountStep(c: AmountContext, f: AmountFields): TemplateResult {
  const { t, currency } = c;
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return html`
    ${renderBalanceLine(c)} ${renderEstimate(c)}
    <div class="field">
      <label for="amount">
        ${f.mode === 'auto_renewal' ? `${t('topUpBy')} (${currency})` : t('amountIn', { currency })}
      </label>
      <input
        id="amount"
        part="input"
        inputmode="decimal"
        autocomplete="off"
        required
        .value=${f.amount}
        @input=${(e: Event) => f.setAmount(value(e))}
      />
    </div>
    ${renderLiveQuote(c)}
    ${
      f.mode === 'auto_renewal'
        ? html`<div class="field">
            <label for="threshold">${t('thresholdBelow')} (${currency})</label>
            <input
              id="threshold"
              part="input"
              inputmode="decimal"
              autocomplete="off"
              .value=${f.threshold}
              @input=${(e: Event) => f.setThreshold(value(e))}
            />
          </div>`
        : nothing
    }
  `;
}

/** Balance, currency and the out-of-funds notice above the amount field. */
export function renderBalanceLine(c: AmountContext): TemplateResult | typeof nothing {
  if (!c.balance) return nothing;
  const balance = formatMoney(c.balance.balance, c.currency, c.locale);
  return html`<p data-testid="current-balance">
      ${c.t.parts('wizardBalance', { balance: html`<span class="money">${balance}</span>`, currency: c.currency })}
    </p>
    ${renderBalanceState(c.t, c.locale, c.balance)}`;
}

/** The suggestion from recent spend, with a button that fills it in. */
export function renderEstimate(c: AmountContext): TemplateResult {
  const { t, locale, currency } = c;
  if (c.runway.status === 'pending') return html`<p class="muted" role="status">${t('wizardEstimating')}</p>`;
  const r = c.runway.status === 'complete' ? c.runway.value : null;
  const rec = r?.recommended;
  const days = rec ? daysCovered(rec.amount, rec.daily_average) : null;
  if (!rec || days === null)
    return html`<p class="muted" data-testid="estimate">${t('wizardNoEstimate')}</p>`;
  const money = (v: string) => formatMoney(v, currency, locale);
  return html`<div class="estimate" data-testid="estimate">
    <p>${t.plural('wizardEstimate', days, { amount: money(rec.amount), daily: money(rec.daily_average) })}</p>
    <button type="button" part="button" @click=${() => c.useSuggested(rec.amount, rec.threshold)}>
      ${t('wizardUseSuggested', { amount: money(rec.amount) })}
    </button>
  </div>`;
}

/** Days covered, fee and total for the amount as typed; updates on every keystroke. */
export function renderLiveQuote(c: AmountContext): TemplateResult {
  const { t, locale, currency } = c;
  const parts: string[] = [];
  if (c.amount) {
    const daily = c.runway.status === 'complete' ? c.runway.value?.recommended?.daily_average : null;
    const days = daysCovered(c.amount, daily);
    if (days !== null) parts.push(t.plural('wizardCovers', days));
    if (c.method) {
      const p = previewFee(c.amount, c.method.fee, currency);
      const money = (v: string) => formatMoney(v, currency, locale);
      parts.push(t('wizardLiveFee', { fee: money(p.fee), total: money(p.total) }));
    }
  }
  return html`<p class="live" aria-live="polite" data-testid="live">${parts.join(' ')}</p>`;
}
