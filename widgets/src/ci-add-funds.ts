/**
 * <ci-add-funds>: the add-funds wizard. Step 1 number and mode (one-time or auto-renewal), step 2 amount with
 * the quoted fee and total, step 3 review and confirm (one Idempotency-Key per quote, so a double click or a
 * retry cannot pay twice), then the pending state until the payment settles.
 */
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError } from './api-client.js';
import { CiElement } from './ci-element.js';
import { isAmount, quoteRequest, type FundingMode } from './data/quote-request.js';
import { phoneName, type PhoneNumber, type Quote, type TopUp } from './data/api-types.js';
import { FetchController } from './fetch-controller.js';
import { formatDate, formatMoney } from './format.js';
import type { MessageKey } from './messages.js';
import { errorText, renderEmpty, renderFetch } from './render-state.js';
import { addFundsStyles } from './add-funds-styles.js';
import { sharedStyles } from './shared-styles.js';

const METHODS: readonly { id: string; label: MessageKey }[] = [
  { id: 'card', label: 'methodCard' },
  { id: 'bank_transfer', label: 'methodBankTransfer' },
  { id: 'pix', label: 'methodPix' },
];
const STEPS: readonly MessageKey[] = ['stepNumber', 'stepAmount', 'stepReview'];

function newIdempotencyKey(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

@customElement('ci-add-funds')
export class CiAddFunds extends CiElement {
  static override styles = [sharedStyles, addFundsStyles];

  @state() private step = 0;
  @state() private selected = '';
  @state() private mode: FundingMode = 'one_time';
  @state() private method = 'card';
  @state() private amount = '';
  @state() private threshold = '';
  @state() private quote: Quote | null = null;
  @state() private topUp: TopUp | null = null;
  @state() private busy = false;
  @state() private problem = '';
  private idempotencyKey = '';

  private readonly phones = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.wabaId] as const,
    task: async ([, , waba], signal) =>
      (await this.api().get<{ phone_numbers: PhoneNumber[] }>('/v1/phone-numbers', { waba_id: waba }, signal))
        .phone_numbers,
  });

  private get phoneId(): string {
    return this.selected || this.phoneNumberId;
  }

  override render() {
    const t = this.t;
    return html`<section class="card" part="card" aria-labelledby="title">
      <header><h2 id="title" part="heading">${t('addFunds')}</h2></header>
      ${renderFetch(
        t,
        this.phones.state,
        (p) => this.renderWizard(p),
        () => this.phones.reload(),
      )}
    </section>`;
  }

  private renderWizard(phones: readonly PhoneNumber[]) {
    const t = this.t;
    if (phones.length === 0) return renderEmpty(t('noNumbers'));
    if (!this.phoneId) this.selected = phones[0]!.phone_number_id;
    if (this.topUp) return this.renderPending(this.topUp);
    return html`
      <ol class="steps" part="steps">
        ${STEPS.map(
          (s, i) => html`<li aria-current=${i === this.step ? 'step' : 'false'}>${i + 1}. ${t(s)}</li>`,
        )}
      </ol>
      <form @submit=${(e: Event) => this.onSubmit(e)} novalidate>
        ${this.step === 0 ? this.renderNumber(phones) : this.step === 1 ? this.renderAmount() : this.renderReview(phones)}
        ${this.problem ? html`<p class="error" role="alert" part="error">${this.problem}</p>` : nothing}
        <div class="actions">
          ${
            this.step > 0
              ? html`<button type="button" part="button" ?disabled=${this.busy} @click=${() => this.back()}>
                  ${t('back')}
                </button>`
              : nothing
          }
          <button
            type="submit"
            class="primary"
            part="button button-primary"
            ?disabled=${this.busy}
            data-testid="next"
          >
            ${t(this.step === 0 ? 'continue' : this.step === 1 ? 'getQuote' : 'confirmPay')}
          </button>
        </div>
      </form>
    `;
  }

  private renderNumber(phones: readonly PhoneNumber[]) {
    const t = this.t;
    return html`
      <div class="field">
        <label for="number">${t('phoneNumber')}</label>
        <select
          id="number"
          part="select"
          @change=${(e: Event) => (this.selected = (e.target as HTMLSelectElement).value)}
        >
          ${phones.map(
            (p) =>
              html`<option value=${p.phone_number_id} ?selected=${p.phone_number_id === this.phoneId}>
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
                .checked=${this.mode === m}
                @change=${() => (this.mode = m)}
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
          @change=${(e: Event) => (this.method = (e.target as HTMLSelectElement).value)}
        >
          ${METHODS.map((m) => html`<option value=${m.id} ?selected=${m.id === this.method}>${t(m.label)}</option>`)}
        </select>
      </div>
    `;
  }

  private renderAmount() {
    const t = this.t;
    return html`
      <div class="field">
        <label for="amount">${t(this.mode === 'auto_renewal' ? 'topUpBy' : 'amount')}</label>
        <input
          id="amount"
          part="input"
          inputmode="decimal"
          required
          .value=${this.amount}
          @input=${(e: Event) => (this.amount = (e.target as HTMLInputElement).value.trim())}
        />
      </div>
      ${
        this.mode === 'auto_renewal'
          ? html`<div class="field">
              <label for="threshold">${t('thresholdBelow')}</label>
              <input
                id="threshold"
                part="input"
                inputmode="decimal"
                .value=${this.threshold}
                @input=${(e: Event) => (this.threshold = (e.target as HTMLInputElement).value.trim())}
              />
            </div>`
          : nothing
      }
    `;
  }

  private renderReview(phones: readonly PhoneNumber[]) {
    const q = this.quote!;
    const l = this.resolvedLocale;
    const t = this.t;
    const phone = phones.find((p) => p.phone_number_id === this.phoneId);
    return html`
      <dl part="quote" data-testid="quote">
        <dt>${t('colNumber')}</dt>
        <dd>${phone ? phoneName(phone) : this.phoneId}</dd>
        <dt>${t('funding')}</dt>
        <dd>${t(this.mode === 'one_time' ? 'oneTime' : 'autoRenewal')}</dd>
        <dt>${t('amount')}</dt>
        <dd data-testid="amount">${formatMoney(q.amount, q.currency, l)}</dd>
        <dt>${t('fee')}</dt>
        <dd data-testid="fee">${formatMoney(q.fee, q.currency, l)}</dd>
        <dt class="total">${t('total')}</dt>
        <dd class="total" data-testid="total">${formatMoney(q.total, q.currency, l)}</dd>
      </dl>
      <p class="muted">${t('quoteValidUntil', { date: formatDate(q.expires_at, l) })}</p>
    `;
  }

  private renderPending(t: TopUp) {
    const l = this.resolvedLocale;
    const tr = this.t;
    const currency = this.quote?.currency ?? 'USD';
    return html`<div class="state" part="state state-pending-payment" role="status" data-testid="pending">
      <p>
        <strong>${tr('paymentPending')}</strong>
        ${tr('availableBy', { amount: formatMoney(t.amount, currency, l), date: formatDate(t.available_by, l) })}
      </p>
      <p class="muted">${tr('reference', { id: t.topup_id })}</p>
      <button part="button" @click=${() => this.restart()}>${tr('addMore')}</button>
    </div>`;
  }

  private back(): void {
    this.problem = '';
    this.step = Math.max(0, this.step - 1);
  }

  private restart(): void {
    this.topUp = null;
    this.quote = null;
    this.amount = '';
    this.step = 0;
  }

  private async onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    this.problem = '';
    if (this.step === 0) {
      this.step = 1;
      return;
    }
    if (this.step === 1 && !isAmount(this.amount)) {
      this.problem = this.t('amountHint', { example: '50, 49.90' });
      return;
    }
    this.busy = true;
    try {
      if (this.step === 1) await this.requestQuote();
      else await this.confirm();
    } catch (err) {
      this.problem = err instanceof ApiError ? errorText(this.t, err) : this.t('unknown');
    } finally {
      this.busy = false;
    }
  }

  private async requestQuote(): Promise<void> {
    const path = `/v1/phone-numbers/${encodeURIComponent(this.phoneId)}/funds/quotes`;
    const body = quoteRequest({
      mode: this.mode,
      amount: this.amount,
      method: this.method,
      threshold: this.threshold,
    });
    this.quote = await this.api().send<Quote>('POST', path, body);
    this.idempotencyKey = newIdempotencyKey();
    this.step = 2;
  }

  private async confirm(): Promise<void> {
    const path = `/v1/phone-numbers/${encodeURIComponent(this.phoneId)}/funds`;
    this.topUp = await this.api().send<TopUp>(
      'POST',
      path,
      { quote_id: this.quote!.quote_id },
      { 'Idempotency-Key': this.idempotencyKey },
    );
    this.dispatchEvent(
      new CustomEvent('ci-funds-added', { detail: this.topUp, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ci-add-funds': CiAddFunds;
  }
}
