/**
 * <ci-runway-card>: when a number's balance is expected to run out (P50 with its P10–P90 range), and the fix.
 * The number is named under the heading (a selector switches when the token sees several); a balance at zero or
 * below reads as run out, with paid messages blocked and the "Add funds" action.
 */
import { css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { orNull } from './api-client.js';
import { renderBalanceState, requestAddFunds } from './balance-state.js';
import { CiElement } from './ci-element.js';
import type { PhoneBalance, RunwayQuantiles, RunwayResponse } from './data/api-types.js';
import { FetchController } from './fetch-controller.js';
import { formatDate, formatMoney } from './format.js';
import { renderFreshness } from './freshness.js';
import { renderCard, renderFetch } from './render-state.js';
import { describeScope, loadVisibleScope, pickScope, scopeChoices, type VisibleScope } from './scope.js';
import { renderScopeLine, renderScopeSelect, ScopeMemo } from './scope-picker.js';
import { scopeStyles } from './scope-styles.js';
import { sharedStyles } from './shared-styles.js';

interface RunwayView {
  readonly visible: VisibleScope;
  readonly id: string;
  readonly runway: RunwayResponse;
  /** The number's balance state (null when it could not be read: the runway still shows). */
  readonly balance: PhoneBalance | null;
}

@customElement('ci-runway-card')
export class CiRunwayCard extends CiElement {
  static override styles = [
    sharedStyles,
    scopeStyles,
    css`
      .big {
        font-size: 1.6em;
        font-weight: 600;
        margin: 4px 0;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 4px 16px;
        margin: 12px 0 0;
      }
      dt {
        color: var(--ci-color-muted, #4b5563);
      }
      dd {
        margin: 0;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  /** The selector's choice (`phone:<id>`); null until the user picks one. */
  @state() private chosen: string | null = null;
  private readonly visible = new ScopeMemo();

  private readonly data = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.phoneNumberId, this.chosen] as const,
    task: async ([base, token, phone, chosen], signal): Promise<RunwayView> => {
      const api = this.api();
      const visible = await this.visible.get(`${base}|${token}|`, () => loadVisibleScope(api, ''));
      const scope = pickScope(
        visible,
        chosen,
        { phoneNumberId: phone, wabaId: '' },
        scopeChoices(visible, { wabas: false }),
      );
      const id = 'phone_number_id' in scope ? scope.phone_number_id : '';
      const path = `/v1/phone-numbers/${encodeURIComponent(id)}`;
      const [runway, balance] = await Promise.all([
        api.get<RunwayResponse>(`${path}/runway`, {}, signal),
        orNull(api.get<PhoneBalance>(`${path}/balance`, {}, signal)),
      ]);
      return { visible, id, runway, balance };
    },
  });

  override render() {
    const t = this.t;
    const v = this.data.state.status === 'complete' ? this.data.state.value : null;
    const select = v
      ? renderScopeSelect(
          t,
          'scopeSelectNumber',
          v.visible,
          scopeChoices(v.visible, { wabas: false }),
          { phone_number_id: v.id },
          (key) => (this.chosen = key),
        )
      : nothing;
    return renderCard(
      t,
      {
        title: t('runwayTitle'),
        loading: this.data.loading,
        estimate: true,
        ...(select === nothing ? {} : { controls: select }),
      },
      html`${v ? renderScopeLine(describeScope(t, v.visible, { phone_number_id: v.id })) : nothing}
      ${renderFetch(
        t,
        this.data.state,
        (r) => this.renderRunway(r),
        () => this.data.reload(),
      )}`,
    );
  }

  private range(q: RunwayQuantiles): string {
    const l = this.resolvedLocale;
    const t = this.t;
    if (!q.p10 && !q.p90) return t('runwayRangeBeyond');
    return `${formatDate(q.p10, l, t('runwayLater'))} – ${formatDate(q.p90, l, t('runwayLater'))}`;
  }

  private renderRunway({ id, runway: r, balance: b }: RunwayView) {
    const l = this.resolvedLocale;
    const t = this.t;
    const without = r.runs_out.without_renewal;
    const withR = r.runs_out.with_renewal;
    const balance = formatMoney(r.balance, r.currency, l);
    const ranOut = b !== null && b.state !== 'positive';
    const p50 = formatDate(without.p50, l, t('runwayBeyond'));
    return html`
      ${renderFreshness(t, l, r.data_through)}
      ${
        ranOut
          ? renderBalanceState(t, l, b, () => requestAddFunds(this, id))
          : html`<p class="muted">${t('runwayExpected')}</p>
              <p class="big" part="value" data-testid="p50">${p50}</p>
              <p class="summary" part="summary" data-testid="summary">
                ${
                  without.p50
                    ? t('runwaySummaryAround', {
                        balance,
                        date: formatDate(without.p50, l),
                        range: this.range(without),
                      })
                    : t('runwaySummaryAfter', { balance, range: this.range(without) })
                }
              </p>`
      }
      <dl>
        <dt>${t('colBalance')}</dt>
        <dd class="money" data-testid="balance">${balance}</dd>
        ${
          withR && !ranOut
            ? html`<dt>${t('withRenewal')}</dt>
                <dd>${formatDate(withR.p50, l, t('runwayBeyond'))}</dd>`
            : nothing
        }
        ${
          r.recommended
            ? html`<dt>${t('suggestedRenewal')}</dt>
                <dd>
                  ${t('suggestedRenewalValue', {
                    amount: formatMoney(r.recommended.amount, r.currency, l),
                    threshold: formatMoney(r.recommended.threshold, r.currency, l),
                  })}
                </dd>`
            : nothing
        }
      </dl>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ci-runway-card': CiRunwayCard;
  }
}
