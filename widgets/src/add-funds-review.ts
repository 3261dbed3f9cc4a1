/**
 * Step 3 of the add-funds wizard and its outcome, as pure templates: the quote to confirm (with the renewal
 * threshold, and that an auto-renewal charges now and at every trigger), then the pending payment.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from './catalogue.js';
import type { Quote, TopUp } from './data/api-types.js';
import { formatDate, formatMoney } from './format.js';
import { methodName } from './payment-options.js';

export function renderReview(t: Translate, l: string | undefined, q: Quote, phone: string): TemplateResult {
  const money = (v: string) => formatMoney(v, q.currency, l);
  const threshold = q.mode === 'auto_renewal' ? (q.auto_renewal?.threshold ?? '0') : null;
  return html`
    <dl part="quote" data-testid="quote">
      <dt>${t('colNumber')}</dt>
      <dd>${phone}</dd>
      <dt>${t('funding')}</dt>
      <dd>${t(q.mode === 'one_time' ? 'oneTime' : 'autoRenewal')}</dd>
      <dt>${t('reviewMethod')}</dt>
      <dd data-testid="method">${methodName(t, q.payment_method)}</dd>
      <dt>${t('amount')}</dt>
      <dd class="money" data-testid="amount">${money(q.amount)}</dd>
      <dt>${t('fee')}</dt>
      <dd class="money" data-testid="fee">${money(q.fee)}</dd>
      <dt class="total">${t('total')}</dt>
      <dd class="total money" data-testid="total">${money(q.total)}</dd>
      ${
        threshold
          ? html`<dt>${t('reviewThreshold')}</dt>
              <dd class="money" data-testid="threshold">${money(threshold)}</dd>`
          : nothing
      }
    </dl>
    ${
      threshold
        ? html`<p data-testid="renewal-note">
            ${t('reviewRenewalNote', { total: money(q.total), threshold: money(threshold) })}
          </p>`
        : nothing
    }
    <p class="muted">${t('quoteValidUntil', { date: formatDate(q.expires_at, l) })}</p>
  `;
}

export function renderPending(
  t: Translate,
  l: string | undefined,
  topUp: TopUp,
  currency: string,
  restart: () => void,
): TemplateResult {
  const amount = formatMoney(topUp.amount, currency, l);
  return html`<div class="state" part="state state-pending-payment" role="status" data-testid="pending">
    <p>
      <strong>${t('paymentPending')}</strong>
      ${t('availableBy', { amount, date: formatDate(topUp.available_by, l) })}
    </p>
    <p class="muted">${t('reference', { id: topUp.topup_id })}</p>
    <button part="button" @click=${restart}>${t('addMore')}</button>
  </div>`;
}
