/**
 * <ci-funds-table>: one line per number with balance, pending funds, auto-renewal state and the P50 runway;
 * labels are editable in place and "Add funds" opens the wizard in a dialog. Per-number details that fail
 * (runway not computable yet, say) show a dash instead of failing the whole table.
 */
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ApiError, orNull, type ApiClient } from './api-client.js';
import './ci-add-funds.js';
import { CiElement } from './ci-element.js';
import {
  phoneName,
  type BalanceNumber,
  type BalancesResponse,
  type PhoneBalance,
  type RunwayResponse,
} from './data/api-types.js';
import { FetchController } from './fetch-controller.js';
import { announceLabel } from './label-sync.js';
import { renderBalanceState } from './balance-state.js';
import { formatDate, formatMoney } from './format.js';
import { renderFreshness } from './freshness.js';
import { errorText, renderCard, renderEmpty, renderFetch } from './render-state.js';
import { fundsTableStyles } from './funds-table-styles.js';
import { sharedStyles } from './shared-styles.js';

interface NumberDetails {
  readonly detail: PhoneBalance | null;
  readonly runway: RunwayResponse | null;
}

/** A cell with its column's name, which the stacked layout below 600 px shows beside the value. */
function cell(label: string, testid: string, value: string, cls = '') {
  return html`<td role="cell" class=${cls} data-label=${label} data-testid=${testid}>${value}</td>`;
}

@customElement('ci-funds-table')
export class CiFundsTable extends CiElement {
  static override styles = [sharedStyles, fundsTableStyles];

  @state() private editing: string | null = null;
  @state() private draft = '';
  @state() private saveError = '';
  @state() private funding: string | null = null;

  /** Per-number auto-renewal and runway, filled in as each arrives (undefined = still loading). */
  @state() private details = new Map<string, NumberDetails>();

  private readonly data = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.wabaId] as const,
    task: async ([, , waba], signal): Promise<BalancesResponse> => {
      const api = this.api();
      const balances = await api.get<BalancesResponse>('/v1/balances', { waba_id: waba }, signal);
      // The table shows as soon as balances arrive; runway estimates are slower and fill in per row.
      this.details = new Map();
      for (const n of balances.numbers) void this.loadDetails(api, n.phone_number_id, signal);
      return balances;
    },
  });

  private async loadDetails(api: ApiClient, id: string, signal: AbortSignal): Promise<void> {
    const base = `/v1/phone-numbers/${encodeURIComponent(id)}`;
    try {
      const [detail, runway] = await Promise.all([
        orNull(api.get<PhoneBalance>(`${base}/balance`, {}, signal)),
        orNull(api.get<RunwayResponse>(`${base}/runway`, {}, signal)),
      ]);
      if (!signal.aborted) this.details = new Map(this.details).set(id, { detail, runway });
    } catch {
      // Aborted because the inputs changed; the next load fills the row.
    }
  }

  override render() {
    const t = this.t;
    return renderCard(
      t,
      { title: t('fundsTitle'), loading: this.data.loading },
      html`${renderFetch(
          t,
          this.data.state,
          (rows) => this.renderTable(rows),
          () => this.data.reload(),
        )}
        <dialog part="dialog" aria-label=${t('addFunds')} @close=${() => this.closeWizard()}>
          ${
            this.funding
              ? html`<div class="dialog-bar">
                    <button part="button" data-testid="close-dialog" @click=${() => this.closeWizard()}>
                      ${t('close')}
                    </button>
                  </div>
                  <div class="dialog-body">
                    <ci-add-funds
                      api-base=${this.apiBase}
                      token=${this.token}
                      phone-number-id=${this.funding}
                      locale=${this.locale}
                      theme=${this.theme}
                      .strings=${this.strings}
                      @ci-funds-added=${() => this.data.reload()}
                    ></ci-add-funds>
                  </div>`
              : nothing
          }
        </dialog>`,
    );
  }

  private renderTable({ numbers: rows, data_through }: BalancesResponse) {
    const t = this.t;
    if (rows.length === 0) return renderEmpty(t('noNumbers'));
    const l = this.resolvedLocale;
    return html`${renderFreshness(t, l, data_through)}
      <div class="scroll">
        <table part="table" role="table">
          <caption class="sr-only">
            ${t('fundsTableCaption')}
          </caption>
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">${t('colNumber')}</th>
              <th scope="col" role="columnheader" class="num">${t('colBalance')}</th>
              <th scope="col" role="columnheader" class="num">${t('colPending')}</th>
              <th scope="col" role="columnheader">${t('colAutoRenewal')}</th>
              <th scope="col" role="columnheader">${t('colRunsOut')}</th>
              <th scope="col" role="columnheader"><span class="sr-only">${t('colActions')}</span></th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            ${rows.map(
              (r) =>
                html`<tr role="row" data-phone=${r.phone_number_id}>
                    <td role="cell" data-label=${t('colNumber')}>${this.renderLabel(r)}</td>
                    ${cell(t('colBalance'), 'balance', formatMoney(r.balance, r.currency, l), 'num')}
                    ${cell(t('colPending'), 'pending', formatMoney(r.pending, r.currency, l), 'num')}
                    ${cell(t('colAutoRenewal'), 'renewal', this.renewalText(r))}
                    ${cell(t('colRunsOut'), 'runway', this.runwayText(r.phone_number_id))}
                    <td role="cell">
                      <div class="actions">
                        <button
                          part="button"
                          @click=${() => this.startEdit(r)}
                          aria-label=${t('editLabelOf', { name: phoneName(r) })}
                        >
                          ${t('editLabel')}
                        </button>
                        <button
                          class="primary"
                          part="button button-primary"
                          @click=${() => this.openWizard(r.phone_number_id)}
                          aria-label=${t('addFundsTo', { name: phoneName(r) })}
                        >
                          ${t('addFunds')}
                        </button>
                      </div>
                    </td>
                  </tr>
                  ${
                    r.state && r.state !== 'positive'
                      ? html`<tr role="row" class="state-row" data-state-of=${r.phone_number_id}>
                          <td role="cell" colspan="6">
                            ${renderBalanceState(t, l, r, () => this.openWizard(r.phone_number_id), phoneName(r))}
                          </td>
                        </tr>`
                      : nothing
                  }`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  private runwayText(id: string): string {
    const d = this.details.get(id);
    if (!d) return '…';
    if (!d.runway) return '—';
    return formatDate(d.runway.runs_out.without_renewal.p50, this.resolvedLocale, this.t('beyondHorizon'));
  }

  private renewalText(r: BalanceNumber): string {
    const d = this.details.get(r.phone_number_id);
    if (!d) return '…';
    const a = d.detail?.auto_renewal;
    if (!d.detail) return '—';
    if (!a || !a.enabled) return this.t('renewalOff');
    const l = this.resolvedLocale;
    return this.t('renewalOn', {
      amount: formatMoney(a.amount, r.currency, l),
      threshold: formatMoney(a.threshold, r.currency, l),
    });
  }

  private renderLabel(r: BalanceNumber) {
    if (this.editing !== r.phone_number_id) {
      return html`<span data-testid="label">${phoneName(r)}</span>`;
    }
    return html`<form class="label-edit" @submit=${(e: Event) => this.saveLabel(e, r.phone_number_id)}>
      <label class="sr-only" for="label-input">${this.t('label')}</label>
      <input
        id="label-input"
        part="input"
        maxlength="100"
        .value=${this.draft}
        @input=${(e: Event) => (this.draft = (e.target as HTMLInputElement).value)}
      />
      <button type="submit" part="button button-primary" class="primary">${this.t('save')}</button>
      <button type="button" part="button" @click=${() => (this.editing = null)}>${this.t('cancel')}</button>
      ${this.saveError ? html`<span role="alert" class="state error">${this.saveError}</span>` : nothing}
    </form>`;
  }

  private startEdit(r: BalanceNumber): void {
    this.editing = r.phone_number_id;
    this.draft = r.label ?? '';
    this.saveError = '';
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLInputElement>('#label-input')?.focus(),
    );
  }

  private async saveLabel(e: Event, id: string): Promise<void> {
    e.preventDefault();
    try {
      const label = this.draft.trim() || null;
      await this.api().send('PATCH', `/v1/phone-numbers/${encodeURIComponent(id)}`, { label });
      this.editing = null;
      // Every widget on the page shows the new name at once (see label-sync.ts).
      announceLabel({ phone_number_id: id, label });
      this.data.reload();
    } catch (err) {
      this.saveError = err instanceof ApiError ? errorText(this.t, err) : this.t('unknown');
    }
  }

  private openWizard(id: string): void {
    this.funding = id;
    void this.updateComplete.then(() => this.renderRoot.querySelector('dialog')?.showModal());
  }

  private closeWizard(): void {
    const d = this.renderRoot.querySelector('dialog');
    if (d?.open) d.close();
    this.funding = null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ci-funds-table': CiFundsTable;
  }
}
