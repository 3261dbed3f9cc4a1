/**
 * How a balance at zero or below reads, wherever a widget shows one: when it ran out, that paid messages are
 * blocked, and what to do about it. Every "Add funds" action asks the page with a `ci-add-funds-request` event
 * (`{ phone_number_id }`); a `<ci-add-funds>` on the page answers it, or the partner's page can.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from './catalogue.js';
import { formatDate } from './format.js';

export const ADD_FUNDS_REQUEST = 'ci-add-funds-request';

export interface BalanceStateInput {
  readonly phone_number_id: string;
  readonly state?: 'positive' | 'zero' | 'negative' | undefined;
  readonly ran_out_at?: string | null | undefined;
}

/** Asks the page to add funds to a number. */
export function requestAddFunds(from: HTMLElement, phoneNumberId: string): void {
  from.dispatchEvent(
    new CustomEvent(ADD_FUNDS_REQUEST, {
      detail: { phone_number_id: phoneNumberId },
      bubbles: true,
      composed: true,
    }),
  );
}

/**
 * The out-of-funds notice, or nothing while the balance is positive. With `action`, an "Add funds" button;
 * `name` (the number's name) labels it where several notices share a page.
 */
export function renderBalanceState(
  t: Translate,
  locale: string | undefined,
  b: BalanceStateInput,
  action?: () => void,
  name?: string,
): TemplateResult | typeof nothing {
  if (!b.state || b.state === 'positive') return nothing;
  const what = b.ran_out_at
    ? t('balanceRanOut', { date: formatDate(b.ran_out_at, locale) })
    : t('balanceEmpty');
  return html`<div class="ran-out" part="state state-ran-out" role="status" data-testid="ran-out">
    <span>${what} ${t('balanceAction')}</span>
    ${
      action
        ? html`<button
            class="primary"
            part="button button-primary"
            aria-label=${name ? t('addFundsTo', { name }) : nothing}
            @click=${action}
          >
            ${t('addFunds')}
          </button>`
        : nothing
    }
  </div>`;
}
