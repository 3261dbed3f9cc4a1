/** The breakdown's controls: a WABA selector (when the token sees several) and a currency switcher. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from './catalogue.js';
import type { VisibleScope } from './scope.js';

/** A select of "All WABAs" and each visible WABA; nothing when there is only one. */
export function renderWabaSelect(
  t: Translate,
  v: VisibleScope,
  current: string,
  pick: (wabaId: string) => void,
): TemplateResult | typeof nothing {
  if (v.wabas.length < 2) return nothing;
  return html`<label class="sr-only" for="waba">${t('wabaSelect')}</label>
    <select
      id="waba"
      part="select waba-select"
      data-testid="waba-select"
      @change=${(e: Event) => pick((e.target as HTMLSelectElement).value)}
    >
      <option value="" ?selected=${current === ''}>${t('allWabas')}</option>
      ${v.wabas.map(
        (w) =>
          html`<option value=${w.waba_id} ?selected=${current === w.waba_id}>${w.name || w.waba_id}</option>`,
      )}
    </select>`;
}

/** One toggle button per currency (pressed: the one shown); nothing when the balances hold one currency. */
export function renderCurrencySwitch(
  t: Translate,
  currencies: readonly string[],
  current: string | undefined,
  pick: (currency: string) => void,
): TemplateResult | typeof nothing {
  if (currencies.length < 2) return nothing;
  return html`<div
    class="segmented"
    role="group"
    aria-label=${t('currencyShown')}
    part="toggle currency-switch"
  >
    ${currencies.map(
      (c) =>
        html`<button
          part="button"
          aria-pressed=${c === current ? 'true' : 'false'}
          data-currency=${c}
          @click=${() => pick(c)}
        >
          ${c}
        </button>`,
    )}
  </div>`;
}
