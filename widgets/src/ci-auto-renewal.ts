/**
 * <ci-auto-renewal>: a number's saved auto-renewal settings, to read, edit and switch off. Saving sends the full
 * settings back (and the service merges), so a monthly cap or low-balance alert set elsewhere is never lost.
 */
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError } from './api-client.js';
import { CiElement } from './ci-element.js';
import { phoneName, type AutoRenewal, type AutoRenewalAnswer, type PhoneNumber } from './data/api-types.js';
import type { PaymentMethodOffer } from './data/fee-preview.js';
import { toInputText } from './data/parse-amount.js';
import { FetchController } from './fetch-controller.js';
import { formatMoney } from './format.js';
import { loadPaymentMethods, methodName, readAmount, readThreshold } from './payment-options.js';
import { errorText, renderCard, renderEmpty, renderFetch } from './render-state.js';
import { renewalStyles } from './renewal-styles.js';
import { sharedStyles } from './shared-styles.js';

interface Loaded {
  readonly answer: AutoRenewalAnswer;
  readonly methods: readonly PaymentMethodOffer[];
}

interface Draft {
  enabled: boolean;
  mode: 'fixed' | 'target';
  amount: string;
  threshold: string;
  cap: string;
  low: string;
  method: string;
}

@customElement('ci-auto-renewal')
export class CiAutoRenewal extends CiElement {
  static override styles = [sharedStyles, renewalStyles];

  @state() private selected = '';
  @state() private draft: Draft | null = null;
  @state() private busy = false;
  @state() private problem = '';
  @state() private notice: readonly string[] = [];

  private readonly phones = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.wabaId] as const,
    task: async ([, , waba], signal) =>
      (await this.api().get<{ phone_numbers: PhoneNumber[] }>('/v1/phone-numbers', { waba_id: waba }, signal))
        .phone_numbers,
  });

  private readonly data = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.phoneId] as const,
    task: async ([, , id], signal): Promise<Loaded | null> => {
      if (!id) return null;
      const api = this.api();
      const path = `/v1/phone-numbers/${encodeURIComponent(id)}/auto-renewal`;
      const [answer, offer] = await Promise.all([
        api.get<AutoRenewalAnswer>(path, {}, signal),
        loadPaymentMethods(api, id, signal),
      ]);
      return { answer, methods: offer.methods };
    },
  });

  private get phoneId(): string {
    if (this.selected || this.phoneNumberId) return this.selected || this.phoneNumberId;
    const s = this.phones.state;
    return s.status === 'complete' ? (s.value[0]?.phone_number_id ?? '') : '';
  }

  override render() {
    const t = this.t;
    return renderCard(
      t,
      { title: t('renewalTitle'), loading: this.data.loading, controls: this.renderPicker() },
      html`${renderFetch(
        t,
        this.data.state,
        (d) => (d ? this.renderLoaded(d) : renderEmpty(t('noNumbers'))),
        () => this.data.reload(),
      )}`,
    );
  }

  private renderPicker() {
    const s = this.phones.state;
    if (this.phoneNumberId || s.status !== 'complete' || s.value.length < 2) return undefined;
    return html`<label class="sr-only" for="number">${this.t('phoneNumber')}</label>
      <select
        id="number"
        part="select"
        @change=${(e: Event) => this.pick((e.target as HTMLSelectElement).value)}
      >
        ${s.value.map(
          (p) =>
            html`<option value=${p.phone_number_id} ?selected=${p.phone_number_id === this.phoneId}>
              ${phoneName(p)}
            </option>`,
        )}
      </select>`;
  }

  private pick(id: string): void {
    this.selected = id;
    this.draft = null;
    this.notice = [];
    this.problem = '';
  }

  private scopeName(): string {
    const s = this.phones.state;
    const p = s.status === 'complete' ? s.value.find((x) => x.phone_number_id === this.phoneId) : undefined;
    return p ? phoneName(p) : this.phoneId;
  }

  private renderLoaded(d: Loaded) {
    const a = d.answer.auto_renewal;
    return html`
      <p class="muted scope" data-testid="scope">${this.scopeName()}</p>
      ${this.draft ? this.renderForm(d, this.draft) : this.renderSaved(d.answer.currency, a)}
      ${this.problem ? html`<p class="error" role="alert" part="error">${this.problem}</p>` : nothing}
      ${this.notice.map((n) => html`<p class="notice" role="status" data-testid="notice">${n}</p>`)}
    `;
  }

  private renderSaved(currency: string, a: AutoRenewal | null) {
    const t = this.t;
    if (!a) {
      return html`<p data-testid="status">${t('renewalNotSet')}</p>
        <div class="actions">
          <button part="button" data-testid="edit" @click=${() => this.edit(currency, null)}>
            ${t('renewalEdit')}
          </button>
        </div>`;
    }
    const l = this.resolvedLocale;
    const money = (v: string | null | undefined) => (v ? formatMoney(v, currency, l) : t('renewalNone'));
    const summary = a.mode === 'target' ? 'renewalSummaryTarget' : 'renewalSummaryFixed';
    return html`
      <p>
        <span class="badge" part="badge" data-testid="status"
          >${a.enabled ? t('renewalStatusOn') : t('renewalStatusOff')}</span
        >
        ${t(summary, { amount: money(a.amount), threshold: money(a.threshold) })}
      </p>
      ${
        a.disabled_reason && (a.consecutive_failures ?? 0) > 0
          ? html`<p class="muted">${t('renewalDisabledFailures', { count: a.consecutive_failures ?? 0 })}</p>`
          : nothing
      }
      <dl part="list">
        <dt>${t('renewalThreshold')}</dt>
        <dd class="money" data-testid="threshold">${money(a.threshold)}</dd>
        <dt>${a.mode === 'target' ? t('renewalTarget') : t('renewalAmount')}</dt>
        <dd class="money" data-testid="amount">${money(a.amount)}</dd>
        <dt>${t('renewalCap')}</dt>
        <dd class="money" data-testid="cap">${money(a.monthly_cap)}</dd>
        <dt>${t('renewalLowBalance')}</dt>
        <dd class="money" data-testid="low">${money(a.low_balance_threshold)}</dd>
        <dt>${t('paymentMethod')}</dt>
        <dd data-testid="method">${methodName(t, a.payment_method ?? 'card')}</dd>
      </dl>
      <p class="muted">${t('renewalChargesNote')}</p>
      <div class="actions">
        <button part="button" data-testid="edit" @click=${() => this.edit(currency, a)}>
          ${t('renewalEdit')}
        </button>
        <button
          part="button"
          data-testid="toggle"
          ?disabled=${this.busy}
          @click=${() => this.save({ enabled: !a.enabled })}
        >
          ${a.enabled ? t('renewalSwitchOff') : t('renewalSwitchOn')}
        </button>
      </div>
    `;
  }

  private edit(currency: string, a: AutoRenewal | null): void {
    const l = this.resolvedLocale;
    const text = (v: string | null | undefined) => (v ? toInputText(v, l, currency) : '');
    this.notice = [];
    this.problem = '';
    this.draft = {
      enabled: a?.enabled ?? true,
      mode: a?.mode ?? 'fixed',
      amount: text(a?.amount),
      threshold: text(a?.threshold),
      cap: text(a?.monthly_cap),
      low: text(a?.low_balance_threshold),
      method: a?.payment_method ?? '',
    };
  }

  private renderForm(d: Loaded, f: Draft) {
    const t = this.t;
    const set = (patch: Partial<Draft>) => (this.draft = { ...f, ...patch });
    const value = (e: Event) => (e.target as HTMLInputElement).value;
    const field = (id: keyof Draft, label: string) =>
      html`<div class="field">
        <label for=${id}>${label}</label>
        <input
          id=${id}
          part="input"
          inputmode="decimal"
          autocomplete="off"
          .value=${f[id] as string}
          @input=${(e: Event) => set({ [id]: value(e) })}
        />
      </div>`;
    const method = f.method || d.methods[0]?.method || '';
    return html`<form @submit=${(e: Event) => this.submit(e, d, { ...f, method })} novalidate>
      <label class="check">
        <input type="checkbox" .checked=${f.enabled} @change=${() => set({ enabled: !f.enabled })} />
        ${t('renewalEnabled')}
      </label>
      <fieldset>
        <legend>${t('renewalMode')}</legend>
        ${(['fixed', 'target'] as const).map(
          (m) =>
            html`<label class="check">
              <input type="radio" name="mode" .checked=${f.mode === m} @change=${() => set({ mode: m })} />
              ${m === 'fixed' ? t('renewalModeFixed') : t('renewalModeTarget')}
            </label>`,
        )}
      </fieldset>
      ${field('amount', f.mode === 'target' ? t('renewalTarget') : t('renewalAmount'))}
      ${field('threshold', t('renewalThreshold'))} ${field('cap', t('renewalCap'))}
      ${field('low', t('renewalLowBalance'))}
      <div class="field">
        <label for="method">${t('paymentMethod')}</label>
        <select id="method" part="select" @change=${(e: Event) => set({ method: value(e) })}>
          ${d.methods.map(
            (m) =>
              html`<option value=${m.method} ?selected=${m.method === method}>
                ${methodName(t, m.method)}
              </option>`,
          )}
        </select>
      </div>
      <div class="actions">
        <button type="button" part="button" @click=${() => (this.draft = null)}>${t('cancel')}</button>
        <button
          type="submit"
          class="primary"
          part="button button-primary"
          data-testid="save"
          ?disabled=${this.busy}
        >
          ${t('save')}
        </button>
      </div>
    </form>`;
  }

  private submit(e: Event, d: Loaded, f: Draft): void {
    e.preventDefault();
    const l = this.resolvedLocale;
    const currency = d.answer.currency;
    const amount = (raw: string): string | Error => {
      const r = readAmount(this.t, raw, l, currency);
      return r.ok ? r.value : new Error(r.error);
    };
    const level = (raw: string, optional: boolean): string | null | Error => {
      if (optional && raw.trim() === '') return null;
      const r = readThreshold(this.t, raw, l, currency);
      return r.value ?? new Error(r.error);
    };
    const values = {
      amount: amount(f.amount),
      threshold: level(f.threshold, false),
      monthly_cap: f.cap.trim() === '' ? null : amount(f.cap),
      low_balance_threshold: level(f.low, true),
    };
    const bad = Object.values(values).find((v): v is Error => v instanceof Error);
    if (bad) {
      this.problem = bad.message;
      return;
    }
    void this.save({ enabled: f.enabled, mode: f.mode, payment_method: f.method, ...values });
  }

  private async save(body: Record<string, unknown>): Promise<void> {
    this.busy = true;
    this.problem = '';
    try {
      const path = `/v1/phone-numbers/${encodeURIComponent(this.phoneId)}/auto-renewal`;
      const answer = await this.api().send<AutoRenewalAnswer>('PUT', path, body);
      this.draft = null;
      this.notice = [this.t('renewalSaved'), ...(answer.warnings ?? [])];
      this.data.reload();
      this.dispatchEvent(
        new CustomEvent('ci-auto-renewal-saved', { detail: answer, bubbles: true, composed: true }),
      );
    } catch (err) {
      this.problem = err instanceof ApiError ? errorText(this.t, err) : this.t('unknown');
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ci-auto-renewal': CiAutoRenewal;
  }
}
