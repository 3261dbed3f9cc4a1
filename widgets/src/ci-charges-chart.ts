/**
 * <ci-charges-chart>: approximate monthly charges as bars (the running month drawn as partial), plus the
 * forecast mean and its 80 % interval band, for one number or one WABA, named under the heading and chosen
 * with a selector when the token sees several.
 */
import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { createRef, ref } from 'lit/directives/ref.js';
import { ChartController } from './chart-controller.js';
import { CiElement } from './ci-element.js';
import type { ChargesForecastResponse, ChargesTable } from './data/api-types.js';
import { ApiError } from './api-client.js';
import { describeUnpriced, summarizeCharges, toChargesChartRows } from './data/charges-series.js';
import { actualsWithPartial, partialMonth, type PartialMonth } from './data/partial-month.js';
import { FetchController } from './fetch-controller.js';
import { formatDay, formatMoney, formatPeriod } from './format.js';
import { renderFreshness } from './freshness.js';
import { renderCard, renderDataTable, renderEmpty, renderFetch } from './render-state.js';
import {
  describeScope,
  loadVisibleScope,
  pickScope,
  scopeChoices,
  type SeriesScope,
  type VisibleScope,
} from './scope.js';
import { renderScopeLine, renderScopeSelect, ScopeMemo } from './scope-picker.js';
import { scopeStyles } from './scope-styles.js';
import { sharedStyles } from './shared-styles.js';
import { chartTexts } from './specs/chart-text.js';

interface ChargesView {
  readonly visible: VisibleScope;
  readonly scope: SeriesScope;
  readonly charges: ChargesForecastResponse;
  readonly partial: PartialMonth | null;
}

@customElement('ci-charges-chart')
export class CiChargesChart extends CiElement {
  static override styles = [sharedStyles, scopeStyles];

  /** Months to forecast (1–24). */
  @property({ type: Number }) horizon = 6;
  /** The selector's choice (`phone:<id>` or `waba:<id>`); null until the user picks one. */
  @state() private chosen: string | null = null;

  private readonly visible = new ScopeMemo();
  private readonly chartRef = createRef<HTMLDivElement>();
  private readonly chart = new ChartController(this, {
    chart: 'charges',
    container: () => this.chartRef.value,
    texts: () => this.texts(),
    locale: () => this.resolvedLocale,
    currency: () => this.view?.charges.currency ?? '',
  });

  private get view(): ChargesView | null {
    return this.data.state.status === 'complete' ? this.data.state.value : null;
  }

  /** Chart texts with the currency on the money axis and the partial month's date. */
  private texts() {
    const v = this.view;
    return chartTexts(this.t, {
      currency: v?.charges.currency ?? '',
      date: v?.partial ? formatDay(v.partial.through, this.resolvedLocale) : '',
    });
  }

  private readonly data = new FetchController(this, {
    args: () =>
      [this.apiBase, this.token, this.phoneNumberId, this.wabaId, this.horizon, this.chosen] as const,
    task: async ([base, token, phone, waba, horizon, chosen], signal): Promise<ChargesView> => {
      const api = this.api();
      const visible = await this.visible.get(`${base}|${token}|${waba}`, () => loadVisibleScope(api, waba));
      const choices = scopeChoices(visible, { wabas: true });
      const scope = pickScope(visible, chosen, { phoneNumberId: phone, wabaId: waba }, choices);
      try {
        const charges = await api.get<ChargesForecastResponse>(
          '/v1/forecasts/charges',
          { ...scope, horizon, level: '80,95' },
          signal,
        );
        // The forecast starts with the running month; its charges so far come from the charges table.
        const month = charges.forecast[0]?.period;
        const table = month
          ? await api.get<ChargesTable>(
              '/v1/charges',
              { ...scope, granularity: 'month', from: month, to: month },
              signal,
            )
          : null;
        const partial = table && month ? partialMonth(table, month, charges.currency) : null;
        return { visible, scope, charges, partial };
      } catch (err) {
        // Auth and tenancy errors stand; any other forecast failure still shows the actual charges.
        if (!(err instanceof ApiError) || [0, 401, 403, 404].includes(err.status)) throw err;
        const table = await api.get<ChargesTable>('/v1/charges', { ...scope, granularity: 'month' }, signal);
        return { visible, scope, ...actualsWithPartial(table) };
      }
    },
  });

  override render() {
    const t = this.t;
    const v = this.view;
    const controls = v
      ? renderScopeSelect(
          t,
          'scopeSelect',
          v.visible,
          scopeChoices(v.visible, { wabas: true }),
          v.scope,
          (key) => (this.chosen = key),
        )
      : nothing;
    return renderCard(
      t,
      {
        title: t('chargesTitle'),
        loading: this.data.loading,
        estimate: true,
        ...(controls === nothing ? {} : { controls }),
      },
      html`${v ? renderScopeLine(describeScope(t, v.visible, v.scope)) : nothing}
      ${renderFetch(
        t,
        this.data.state,
        (r) => this.renderCharges(r),
        () => this.data.reload(),
      )}`,
    );
  }

  private renderCharges({ charges: r, partial }: ChargesView) {
    const t = this.t;
    if (r.history.length === 0 && r.forecast.length === 0 && !partial) return renderEmpty(t('noCharges'));
    const locale = this.resolvedLocale;
    this.chart.setData(toChargesChartRows(r, locale, this.texts(), partial));
    const money = (v: string | number | null | undefined) =>
      v == null ? '' : formatMoney(v, r.currency, locale);
    const soFar = partial
      ? t('partialCell', { amount: money(partial.value), date: formatDay(partial.through, locale) })
      : '';
    const rows = [
      ...r.history.map((h) => ({ period: h.period, actual: money(h.value), mean: '', low: '', high: '' })),
      ...(partial && r.forecast[0]?.period !== partial.period
        ? [{ period: partial.period, actual: soFar, mean: '', low: '', high: '' }]
        : []),
      ...r.forecast.map((f) => ({
        period: f.period,
        actual: partial?.period === f.period ? soFar : '',
        mean: money(f.mean),
        low: money(f.lower_80),
        high: money(f.upper_80),
      })),
    ];
    const unpriced = describeUnpriced(r, t);
    return html`
      ${renderFreshness(t, locale, r.data_through)}
      <p class="summary" part="summary" data-testid="summary">${summarizeCharges(r, t, partial)}</p>
      ${
        unpriced
          ? html`<p class="notice" part="notice" role="note" data-testid="unpriced">${unpriced}</p>`
          : nothing
      }
      <div class="chart" part="chart" ${ref(this.chartRef)} aria-hidden="true"></div>
      ${
        partial
          ? html`<p class="muted legend-note" data-testid="partial-note">
              <span class="swatch-partial" aria-hidden="true"></span>
              ${t('partialMonth', { date: formatDay(partial.through, locale) })}
            </p>`
          : nothing
      }
      ${this.chart.failed ? html`<p class="muted">${t('chartFailed')}</p>` : nothing}
      ${renderDataTable(
        t,
        t('chargesTableCaption', { currency: r.currency }),
        [
          { label: t('colMonth'), cell: (x) => formatPeriod(x.period, locale) },
          { label: t('colActual'), numeric: true, cell: (x) => x.actual },
          { label: t('colForecast'), numeric: true, cell: (x) => x.mean },
          { label: t('colLow'), numeric: true, cell: (x) => x.low },
          { label: t('colHigh'), numeric: true, cell: (x) => x.high },
        ],
        rows,
      )}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ci-charges-chart': CiChargesChart;
  }
}
