/**
 * <ci-add-funds>: the add-funds wizard. Step 1 number, mode (one-time or auto-renewal) and the payment methods
 * the service offers in the number's currency; step 2 the balance, an estimate from recent spend and the amount
 * typed in the user's locale with its fee and total live; step 3 review (with the renewal threshold) and confirm
 * (one Idempotency-Key per quote, so a double click or a retry cannot pay twice); then pending until it settles.
 * It also answers `ci-add-funds-request` events from the other widgets by switching to that number.
 */
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError, orNull } from './api-client.js';
import { CiElement } from './ci-element.js';
import { quoteRequest, type FundingMode } from './data/quote-request.js';
import {
  phoneName,
  type PhoneBalance,
  type PhoneNumber,
  type Quote,
  type RunwayResponse,
  type TopUp,
} from './data/api-types.js';
import type { PaymentMethodOffer } from './data/fee-preview.js';
import { parseAmount, toInputText } from './data/parse-amount.js';
import { FetchController } from './fetch-controller.js';
import type { MessageKey } from './messages.js';
import { loadPaymentMethods, readAmount, readThreshold } from './payment-options.js';
import { errorText, renderEmpty, renderFetch } from './render-state.js';
import { renderAmountStep, type AmountContext } from './add-funds-amount.js';
import { renderNumberStep } from './add-funds-number.js';
import { renderPending, renderReview } from './add-funds-review.js';
import { addFundsStyles } from './add-funds-styles.js';
import { ADD_FUNDS_REQUEST } from './balance-state.js';
import { sharedStyles } from './shared-styles.js';

interface NumberContext {
  readonly currency: string;
  readonly methods: readonly PaymentMethodOffer[];
  /** Null when the token may add funds but not read the balance. */
  readonly balance: PhoneBalance | null;
}

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
  @state() private method = '';
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

  private readonly context = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.phoneId] as const,
    task: async ([, , id], signal): Promise<NumberContext | null> => {
      if (!id) return null;
      const api = this.api();
      const [offer, balance] = await Promise.all([
        loadPaymentMethods(api, id, signal),
        orNull(api.get<PhoneBalance>(`/v1/phone-numbers/${encodeURIComponent(id)}/balance`, {}, signal)),
      ]);
      return { currency: offer.currency, methods: offer.methods, balance };
    },
  });

  /** The runway's suggestion takes longer (a simulation): step 2 shows without it and fills it in. */
  private readonly runway = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.phoneId] as const,
    task: ([, , id], signal) =>
      id
        ? orNull(
            this.api().get<RunwayResponse>(`/v1/phone-numbers/${encodeURIComponent(id)}/runway`, {}, signal),
          )
        : Promise.resolve(null),
  });

  private readonly onRequest = (e: Event) => {
    const id = (e as CustomEvent<{ phone_number_id?: unknown }>).detail?.phone_number_id;
    if (typeof id !== 'string' || e.composedPath().includes(this)) return;
    this.restart();
    this.selected = id;
    this.step = 1;
    this.scrollIntoView({ block: 'nearest' });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#amount')?.focus());
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener(ADD_FUNDS_REQUEST, this.onRequest);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener(ADD_FUNDS_REQUEST, this.onRequest);
  }

  private get phoneId(): string {
    if (this.selected || this.phoneNumberId) return this.selected || this.phoneNumberId;
    const s = this.phones.state;
    return s.status === 'complete' ? (s.value[0]?.phone_number_id ?? '') : '';
  }

  private get numberContext(): NumberContext | null {
    return this.context.state.status === 'complete' ? this.context.state.value : null;
  }

  /** The chosen method if the number's currency offers it, else the first one offered. */
  private get offer(): PaymentMethodOffer | undefined {
    const methods = this.numberContext?.methods ?? [];
    return methods.find((m) => m.method === this.method) ?? methods[0];
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
        ${
          this.context.state.status === 'error'
            ? html`<p class="error" role="alert" part="error">${errorText(t, this.context.state.error)}</p>`
            : nothing
        }
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
            ?disabled=${this.busy || !this.numberContext}
            data-testid="next"
          >
            ${t(this.step === 0 ? 'continue' : this.step === 1 ? 'getQuote' : 'confirmPay')}
          </button>
        </div>
      </form>
    `;
  }

  private renderNumber(phones: readonly PhoneNumber[]) {
    return renderNumberStep(this.t, {
      phones,
      phoneId: this.phoneId,
      mode: this.mode,
      methods: this.numberContext?.methods ?? null,
      method: this.offer?.method ?? '',
      pick: (id) => (this.selected = id),
      setMode: (m) => (this.mode = m),
      setMethod: (m) => (this.method = m),
    });
  }

  private renderAmount() {
    const t = this.t;
    const ctx = this.numberContext;
    const currency = ctx?.currency ?? '';
    const parsed = currency ? parseAmount(this.amount, this.resolvedLocale, currency) : null;
    const c: AmountContext = {
      t,
      locale: this.resolvedLocale,
      currency,
      balance: ctx?.balance ?? null,
      runway: this.runway.state,
      amount: parsed?.ok ? parsed.value : null,
      method: this.offer,
      useSuggested: (amount, threshold) => {
        this.amount = toInputText(amount, this.resolvedLocale, currency);
        if (this.mode === 'auto_renewal' && !this.threshold) {
          this.threshold = toInputText(threshold, this.resolvedLocale, currency);
        }
      },
    };
    return renderAmountStep(c, {
      mode: this.mode,
      amount: this.amount,
      threshold: this.threshold,
      setAmount: (v) => (this.amount = v),
      setThreshold: (v) => (this.threshold = v),
    });
  }

  private renderReview(phones: readonly PhoneNumber[]) {
    const phone = phones.find((p) => p.phone_number_id === this.phoneId);
    return renderReview(this.t, this.resolvedLocale, this.quote!, phone ? phoneName(phone) : this.phoneId);
  }

  private renderPending(topUp: TopUp) {
    const currency = this.quote?.currency ?? '';
    return renderPending(this.t, this.resolvedLocale, topUp, currency, () => this.restart());
  }

  private back(): void {
    this.problem = '';
    this.step = Math.max(0, this.step - 1);
  }

  private restart(): void {
    this.topUp = null;
    this.quote = null;
    this.amount = '';
    this.threshold = '';
    this.problem = '';
    this.step = 0;
  }

  private async onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    this.problem = '';
    if (this.step === 0) {
      this.step = 1;
      return;
    }
    const currency = this.numberContext?.currency ?? '';
    const a = readAmount(this.t, this.amount, this.resolvedLocale, currency);
    const th = readThreshold(this.t, this.threshold, this.resolvedLocale, currency);
    if (this.step === 1 && (!a.ok || (this.mode === 'auto_renewal' && th.value === null))) {
      this.problem = a.error || th.error;
      return;
    }
    this.busy = true;
    try {
      if (this.step === 2) await this.confirm();
      else if (a.ok) await this.requestQuote(a.value, th.value ?? '0');
    } catch (err) {
      this.problem = err instanceof ApiError ? errorText(this.t, err) : this.t('unknown');
    } finally {
      this.busy = false;
    }
  }

  private async requestQuote(amount: string, threshold: string): Promise<void> {
    const path = `/v1/phone-numbers/${encodeURIComponent(this.phoneId)}/funds/quotes`;
    const body = quoteRequest({ mode: this.mode, amount, method: this.offer?.method ?? '', threshold });
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
