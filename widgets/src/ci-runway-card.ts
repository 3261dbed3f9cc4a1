/** <ci-runway-card>: when a number's balance is expected to run out (P50 with its P10–P90 range), and the fix. */
import { css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { CiElement } from './ci-element.js';
import type { RunwayQuantiles, RunwayResponse } from './data/api-types.js';
import { FetchController } from './fetch-controller.js';
import { formatDate, formatMoney } from './format.js';
import { renderCard, renderFetch } from './render-state.js';
import { resolveScope } from './scope.js';
import { sharedStyles } from './shared-styles.js';

@customElement('ci-runway-card')
export class CiRunwayCard extends CiElement {
  static override styles = [
    sharedStyles,
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

  private readonly data = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.phoneNumberId] as const,
    task: async ([, , phone], signal) => {
      const api = this.api();
      const scope = await resolveScope(api, phone, '', signal, 'phone');
      const id = 'phone_number_id' in scope ? scope.phone_number_id : '';
      return api.get<RunwayResponse>(`/v1/phone-numbers/${encodeURIComponent(id)}/runway`, {}, signal);
    },
  });

  override render() {
    const t = this.t;
    return renderCard(
      t,
      { title: t('runwayTitle'), loading: this.data.loading, estimate: true },
      html`${renderFetch(
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

  private renderRunway(r: RunwayResponse) {
    const l = this.resolvedLocale;
    const t = this.t;
    const without = r.runs_out.without_renewal;
    const withR = r.runs_out.with_renewal;
    const balance = formatMoney(r.balance, r.currency, l);
    return html`
      <p class="muted">${t('runwayExpected')}</p>
      <p class="big" part="value" data-testid="p50">${formatDate(without.p50, l, t('runwayBeyond'))}</p>
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
      </p>
      <dl>
        <dt>${t('colBalance')}</dt>
        <dd data-testid="balance">${balance}</dd>
        ${
          withR
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
