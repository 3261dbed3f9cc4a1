/** <ci-balance-breakdown>: each number's balance and share of its currency total, as a list and a donut. */
import { css, html, nothing } from 'lit';
import { customElement } from 'lit/decorators.js';
import { createRef, ref } from 'lit/directives/ref.js';
import { ChartController } from './chart-controller.js';
import { CiElement } from './ci-element.js';
import { phoneName, type BalancesResponse } from './data/api-types.js';
import { FetchController } from './fetch-controller.js';
import { formatMoney, formatPercent, toNumber } from './format.js';
import { renderCard, renderDataTable, renderEmpty, renderFetch } from './render-state.js';
import { sharedStyles } from './shared-styles.js';
import { PALETTE } from './specs/chart-palette.js';
import { chartTexts } from './specs/chart-text.js';

const SWATCHES = [0, 1, 2, 3, 4, 5, 6, 7].map(
  (i) => `var(${PALETTE[`cat${i}` as 'cat0'].cssVar}, ${PALETTE[`cat${i}` as 'cat0'].fallback})`,
);

@customElement('ci-balance-breakdown')
export class CiBalanceBreakdown extends CiElement {
  static override styles = [
    sharedStyles,
    css`
      .layout {
        display: flex;
        flex-wrap: wrap;
        gap: 16px;
        align-items: center;
      }
      .layout .chart {
        width: auto;
        flex: 0 0 auto;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        flex: 1 1 240px;
      }
      li {
        display: grid;
        grid-template-columns: 12px 1fr auto auto;
        gap: 8px;
        align-items: center;
        padding: 6px 0;
        border-bottom: 1px solid var(--ci-color-border, #d8dde6);
      }
      .swatch {
        width: 12px;
        height: 12px;
        border-radius: 3px;
      }
      .amount {
        font-variant-numeric: tabular-nums;
        font-weight: 600;
      }
      .total {
        font-size: 1.4em;
        font-weight: 600;
      }
    `,
  ];

  private readonly chartRef = createRef<HTMLDivElement>();
  private readonly chart = new ChartController(this, {
    chart: 'balance',
    container: () => this.chartRef.value,
    fixedWidth: true,
    texts: () => chartTexts(this.t),
    locale: () => this.resolvedLocale,
  });

  private readonly data = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.wabaId] as const,
    task: ([, , waba], signal) => this.api().get<BalancesResponse>('/v1/balances', { waba_id: waba }, signal),
  });

  override render() {
    const t = this.t;
    return renderCard(
      t,
      { title: t('balancesTitle'), loading: this.data.loading },
      html`${renderFetch(
        t,
        this.data.state,
        (r) => this.renderBalances(r),
        () => this.data.reload(),
      )}`,
    );
  }

  private renderBalances(r: BalancesResponse) {
    const currency = r.totals.find((t) => t.currency === this.currency)?.currency ?? r.totals[0]?.currency;
    const numbers = r.numbers.filter((n) => n.currency === currency);
    const t = this.t;
    if (!currency || numbers.length === 0) return renderEmpty(t('noBalances'));
    const locale = this.resolvedLocale;
    const total = r.totals.find((t) => t.currency === currency)!;
    const slices = numbers.map((n) => ({ label: phoneName(n), value: Math.max(0, toNumber(n.balance)) }));
    // A donut of nothing but negative or zero balances would be an empty ring: show the list alone then.
    const drawable = slices.some((s) => s.value > 0);
    if (drawable) this.chart.setData(slices);
    const money = (v: string) => formatMoney(v, currency, locale);
    const share = (v: string | null) => (v == null ? '—' : formatPercent(v, locale));
    return html`
      <p class="summary" part="summary" data-testid="summary">
        ${this.totalSentence(money(total.balance), numbers.length)}
      </p>
      <div class="layout">
        ${drawable ? html`<div class="chart" part="chart" ${ref(this.chartRef)} aria-hidden="true"></div>` : nothing}
        <ul part="list" aria-label=${t('balancePerNumber')}>
          ${numbers.map(
            (n, i) =>
              html`<li data-phone=${n.phone_number_id}>
                <span class="swatch" style="background:${SWATCHES[i % SWATCHES.length]}"></span>
                <span>${phoneName(n)}</span>
                <span class="amount" data-testid="balance">${money(n.balance)}</span>
                <span class="muted">${share(n.share)}</span>
              </li>`,
          )}
        </ul>
      </div>
      ${this.chart.failed ? html`<p class="muted">${t('chartFailed')}</p>` : nothing}
      ${renderDataTable(
        t,
        t('balanceTableCaption', { currency }),
        [
          { label: t('colNumber'), cell: (n) => phoneName(n) },
          { label: t('colBalance'), numeric: true, cell: (n) => money(n.balance) },
          { label: t('colPending'), numeric: true, cell: (n) => money(n.pending) },
          { label: t('colShare'), numeric: true, cell: (n) => share(n.share) },
        ],
        numbers,
      )}
      ${
        r.totals.length > 1
          ? html`<p class="muted">
              Other currencies:
              ${r.totals
                .filter((t) => t.currency !== currency)
                .map((t) => formatMoney(t.balance, t.currency, locale))
                .join(', ')}
            </p>`
          : nothing
      }
    `;
  }

  /** "Total balance <total> across N numbers", with the total emphasised wherever the language puts it. */
  private totalSentence(total: string, count: number) {
    const sentence = this.t.plural('balanceTotal', count, { total: '\u0000' });
    const [before = '', after = ''] = sentence.split('\u0000');
    return html`${before}<span class="total" data-testid="total">${total}</span>${after}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ci-balance-breakdown': CiBalanceBreakdown;
  }
}
