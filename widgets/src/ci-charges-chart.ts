/** <ci-charges-chart>: approximate monthly charges as bars, plus the forecast mean and its 80 % interval band. */
import { html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { createRef, ref } from 'lit/directives/ref.js';
import { ChartController } from './chart-controller.js';
import { CiElement } from './ci-element.js';
import type { ChargesForecastResponse, ChargesTable } from './data/api-types.js';
import { ApiError } from './api-client.js';
import {
  actualsOnly,
  describeUnpriced,
  summarizeCharges,
  toChargesChartRows,
} from './data/charges-series.js';
import { FetchController } from './fetch-controller.js';
import { formatMoney, formatPeriod } from './format.js';
import { renderCard, renderDataTable, renderEmpty, renderFetch } from './render-state.js';
import { resolveScope } from './scope.js';
import { sharedStyles } from './shared-styles.js';
import { chartTexts } from './specs/chart-text.js';

@customElement('ci-charges-chart')
export class CiChargesChart extends CiElement {
  static override styles = sharedStyles;

  /** Months to forecast (1–24). */
  @property({ type: Number }) horizon = 6;

  private readonly chartRef = createRef<HTMLDivElement>();
  private readonly chart = new ChartController(this, {
    chart: 'charges',
    container: () => this.chartRef.value,
    texts: () => chartTexts(this.t, { currency: this.chargesCurrency }),
    locale: () => this.resolvedLocale,
    currency: () => this.chargesCurrency,
  });

  private get chargesCurrency(): string {
    return this.data.state.status === 'complete' ? this.data.state.value.currency : '';
  }

  private readonly data = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.phoneNumberId, this.wabaId, this.horizon] as const,
    task: async ([, , phone, waba, horizon], signal) => {
      const api = this.api();
      const scope = await resolveScope(api, phone, waba, signal, 'phone');
      try {
        return await api.get<ChargesForecastResponse>(
          '/v1/forecasts/charges',
          { ...scope, horizon, level: '80,95' },
          signal,
        );
      } catch (err) {
        // Auth and tenancy errors stand; any other forecast failure still shows the actual charges.
        if (!(err instanceof ApiError) || [0, 401, 403, 404].includes(err.status)) throw err;
        return actualsOnly(
          await api.get<ChargesTable>('/v1/charges', { ...scope, granularity: 'month' }, signal),
        );
      }
    },
  });

  override render() {
    const t = this.t;
    return renderCard(
      t,
      { title: t('chargesTitle'), loading: this.data.loading, estimate: true },
      html`${renderFetch(
        t,
        this.data.state,
        (r) => this.renderCharges(r),
        () => this.data.reload(),
      )}`,
    );
  }

  private renderCharges(r: ChargesForecastResponse) {
    const t = this.t;
    if (r.history.length === 0 && r.forecast.length === 0) return renderEmpty(t('noCharges'));
    const locale = this.resolvedLocale;
    this.chart.setData(toChargesChartRows(r, locale, chartTexts(t)));
    const money = (v: string | number | null | undefined) =>
      v == null ? '' : formatMoney(v, r.currency, locale);
    const rows = [
      ...r.history.map((h) => ({ period: h.period, actual: money(h.value), mean: '', low: '', high: '' })),
      ...r.forecast.map((f) => ({
        period: f.period,
        actual: '',
        mean: money(f.mean),
        low: money(f.lower_80),
        high: money(f.upper_80),
      })),
    ];
    const unpriced = describeUnpriced(r, t);
    return html`
      <p class="summary" part="summary" data-testid="summary">${summarizeCharges(r, t)}</p>
      ${
        unpriced
          ? html`<p class="notice" part="notice" role="note" data-testid="unpriced">${unpriced}</p>`
          : nothing
      }
      <div class="chart" part="chart" ${ref(this.chartRef)} aria-hidden="true"></div>
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
