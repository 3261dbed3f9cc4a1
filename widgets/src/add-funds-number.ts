/** Step 1 of the add-funds wizard: the number, one-time or auto-renewal, and the methods its currency offers. */
import { html, type TemplateResult } from 'lit';
import type { Translate } from './catalogue.js';
import { phoneName, type PhoneNumber } from './data/api-types.js';
import type { PaymentMethodOffer } from './data/fee-preview.js';
import type { FundingMode } from './data/quote-request.js';
import { methodName } from './payment-options.js';

export interface NumberStep {
  readonly phones: readonly PhoneNumber[];
  readonly phoneId: string;
  readonly mode: FundingMode;
  /** The methods of the number's currency; null while they load. */
  readonly methods: readonly PaymentMethodOffer[] | null;
  readonly method: string;
  readonly pick: (id: string) => void;
  readonly setMode: (mode: FundingMode) => void;
  readonly setMethod: (method: string) => void;
}

export function renderNumberStep(t: Translate, s: NumberStep): TemplateResult {
  const value = (e: Event) => (e.target as HTMLSelectElement).value;
  return html`
    <div class="field">
      <label for="number">${t('phoneNumber')}</label>
      <select id="number" part="select" @change=${(e: Event) => s.pick(value(e))}>
        ${s.phones.map(
          (p) =>
            html`<option value=${p.phone_number_id} ?selected=${p.phone_number_id === s.phoneId}>
              ${phoneName(p)}
            </option>`,
        )}
      </select>
    </div>
    <fieldset>
      <legend>${t('funding')}</legend>
      ${(['one_time', 'auto_renewal'] as const).map(
        (m) =>
          html`<label>
            <input
              type="radio"
              name="mode"
              value=${m}
              .checked=${s.mode === m}
              @change=${() => s.setMode(m)}
            />
            ${t(m === 'one_time' ? 'oneTime' : 'autoRenewal')}
          </label> `,
      )}
    </fieldset>
    <div class="field">
      <label for="method">${t('paymentMethod')}</label>
      <select
        id="method"
        part="select"
        ?disabled=${!s.methods}
        @change=${(e: Event) => s.setMethod(value(e))}
      >
        ${(s.methods ?? []).map(
          (m) =>
            html`<option value=${m.method} ?selected=${m.method === s.method}>
              ${methodName(t, m.method)}
            </option>`,
        )}
      </select>
    </div>
  `;
}
