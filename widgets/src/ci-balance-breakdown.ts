/**
 * <ci-balance-breakdown>: each number's balance in one currency at a time (a switcher when the numbers hold
 * several), as a list and a donut, with the WABAs it covers named and a WABA selector when there are several.
 * Shares of the total show only when every balance has the same sign; a number at zero or below reads as run
 * out, with the "Add funds" action.
 */
import { html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { createRef, ref } from 'lit/directives/ref.js';
import { renderBalanceState, requestAddFunds } from './balance-state.js';
import { ChartController } from './chart-controller.js';
import { CiElement } from './ci-element.js';
import { phoneName, type BalanceNumber, type BalancesResponse } from './data/api-types.js';
import { FetchController } from './fetch-controller.js';
import { formatMoney, formatPercent, toNumber } from './format.js';
import { renderFreshness } from './freshness.js';
import { renderCard, renderDataTable, renderEmpty, renderFetch } from './render-state.js';
import { loadVisibleScope, wabaTitle, type VisibleScope } from './scope.js';
import { renderScopeLine, ScopeMemo } from './scope-picker.js';
import { breakdownStyles } from './breakdown-styles.js';
import { renderCurrencySwitch, renderWabaSelect } from './breakdown-controls.js';
import { scopeStyles } from './scope-styles.js';
import { sharedStyles } from './shared-styles.js';
import { PALETTE } from './specs/chart-palette.js';
import { chartTexts } from './specs/chart-text.js';

const SWATCHES = [0, 1, 2, 3, 4, 5, 6, 7].map(
  (i) => `var(${PALETTE[`cat${i}` as 'cat0'].cssVar}, ${PALETTE[`cat${i}` as 'cat0'].fallback})`,
);

interface BreakdownView {
  readonly visible: VisibleScope;
  readonly balances: BalancesResponse;
}

/** True when some balances are above zero and others below: a share of such a total means nothing. */
export function mixedSigns(numbers: readonly BalanceNumber[]): boolean {
  const signs = numbers.map((n) => Math.sign(toNumber(n.balance)));
  return signs.includes(1) && signs.includes(-1);
}

@customElement('ci-balance-breakdown')
export class CiBalanceBreakdown extends CiElement {
  static override styles = [sharedStyles, scopeStyles, breakdownStyles];

  /** The WABA selector's choice ('' = all); null until the user picks one (the `waba-id` attribute then). */
  @state() private chosenWaba: string | null = null;
  /** The currency switcher's choice; null until the user picks one (the `currency` attribute then). */
  @state() private chosenCurrency: string | null = null;

  private readonly visible = new ScopeMemo();
  private readonly chartRef = createRef<HTMLDivElement>();
  private readonly chart = new ChartController(this, {
    chart: 'balance',
    container: () => this.chartRef.value,
    fixedWidth: true,
    texts: () => chartTexts(this.t),
    locale: () => this.resolvedLocale,
  });

  private readonly data = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.wabaId, this.chosenWaba] as const,
    task: async ([base, token, waba, chosen], signal): Promise<BreakdownView> => {
      const api = this.api();
      const [visible, balances] = await Promise.all([
        this.visible.get(`${base}|${token}|${waba}`, () => loadVisibleScope(api, waba)),
        api.get<BalancesResponse>('/v1/balances', { waba_id: chosen ?? waba }, signal),
      ]);
      return { visible, balances };
    },
  });

  private currencyOf(r: BalancesResponse): string | undefined {
    const wanted = this.chosenCurrency ?? this.currency;
    return r.totals.find((t) => t.currency === wanted)?.currency ?? r.totals[0]?.currency;
  }

  override render() {
    const t = this.t;
    const v = this.data.state.status === 'complete' ? this.data.state.value : null;
    const controls = v
      ? html`${renderWabaSelect(t, v.visible, this.chosenWaba ?? this.wabaId, (id) => (this.chosenWaba = id))}
        ${renderCurrencySwitch(
          t,
          v.balances.totals.map((x) => x.currency),
          this.currencyOf(v.balances),
          (c) => (this.chosenCurrency = c),
        )}`
      : undefined;
    return renderCard(
      t,
      { title: t('balancesTitle'), loading: this.data.loading, ...(controls ? { controls } : {}) },
      html`${renderFetch(
        t,
        this.data.state,
        (r) => this.renderBalances(r),
        () => this.data.reload(),
      )}`,
    );
  }

  private renderBalances({ visible, balances: r }: BreakdownView) {
    const currency = this.currencyOf(r);
    const numbers = r.numbers.filter((n) => n.currency === currency);
    const t = this.t;
    if (!currency || numbers.length === 0) return renderEmpty(t('noBalances'));
    const locale = this.resolvedLocale;
    const total = r.totals.find((x) => x.currency === currency)!;
    const slices = numbers.map((n) => ({ label: phoneName(n), value: Math.max(0, toNumber(n.balance)) }));
    // A donut of nothing but negative or zero balances would be an empty ring: show the list alone then.
    const drawable = slices.some((s) => s.value > 0);
    if (drawable) this.chart.setData(slices);
    const money = (v: string) => formatMoney(v, currency, locale);
    const mixed = mixedSigns(numbers);
    const share = (v: string | null) => (v == null ? '—' : formatPercent(v, locale));
    const wabaOf = new Map(visible.numbers.map((n) => [n.phone_number_id, n.waba_id]));
    const wabas = [...new Set(numbers.map((n) => wabaOf.get(n.phone_number_id)).filter((w) => w))];
    const names = new Intl.ListFormat(locale, { type: 'conjunction' }).format(
      wabas.map((w) => wabaTitle(visible, w!)),
    );
    return html`
      ${wabas.length > 0 ? renderScopeLine(t('scopeWabas', { names })) : nothing}
      ${renderFreshness(t, locale, r.data_through)}
      <p class="summary" part="summary" data-testid="summary">
        ${this.totalSentence(money(total.balance), numbers.length)}
      </p>
      ${mixed ? html`<p class="muted" data-testid="shares-hidden">${t('sharesHidden')}</p>` : nothing}
      <div class="layout">
        ${drawable ? html`<div class="chart" part="chart" ${ref(this.chartRef)} aria-hidden="true"></div>` : nothing}
        <ul part="list" aria-label=${t('balancePerNumber')}>
          ${numbers.map(
            (n, i) =>
              html`<li data-phone=${n.phone_number_id}>
                <span class="swatch" style="background:${SWATCHES[i % SWATCHES.length]}"></span>
                <span>${phoneName(n)}</span>
                <span class="amount money" data-testid="balance">${money(n.balance)}</span>
                <span class="muted" data-testid="share">${mixed ? '' : share(n.share)}</span>
                ${renderBalanceState(
                  t,
                  locale,
                  n,
                  () => requestAddFunds(this, n.phone_number_id),
                  phoneName(n),
                )}
              </li>`,
          )}
        </ul>
      </div>
      ${this.chart.failed ? html`<p class="muted">${t('chartFailed')}</p>` : nothing}
      ${renderDataTable(
        t,
        t('balanceTableCaption', { currency }),
        [
          { label: t('colNumber'), cell: (n: BalanceNumber) => phoneName(n) },
          { label: t('colBalance'), numeric: true, cell: (n: BalanceNumber) => money(n.balance) },
          { label: t('colPending'), numeric: true, cell: (n: BalanceNumber) => money(n.pending) },
          ...(mixed
            ? []
            : [{ label: t('colShare'), numeric: true, cell: (n: BalanceNumber) => share(n.share) }]),
        ],
        numbers,
      )}
    `;
  }

  /** "Total balance <total> across N numbers", with the total emphasised wherever the language puts it. */
  private totalSentence(total: string, count: number) {
    const sentence = this.t.plural('balanceTotal', count, { total: '\u0000' });
    const [before = '', after = ''] = sentence.split('\u0000');
    return html`${before}<span class="total money" data-testid="total">${total}</span>${after}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ci-balance-breakdown': CiBalanceBreakdown;
  }
}
