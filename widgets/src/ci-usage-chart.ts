/**
 * <ci-usage-chart>: conversations and messages per month or day, stacked free / paid, one panel per unit (CBP
 * conversations and PMP messages are never added together), with an All / Free / Paid toggle.
 */
import { html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { createRef, ref } from 'lit/directives/ref.js';
import { ChartController } from './chart-controller.js';
import { CiElement } from './ci-element.js';
import { phoneName, type PhoneNumber, type UsageResponse } from './data/api-types.js';
import {
  sumUsageByPeriod,
  summarizeUsage,
  toUsageChartRows,
  unitPanel,
  unitsOf,
  type UsageMode,
} from './data/usage-series.js';
import { FetchController } from './fetch-controller.js';
import { knownUpTo, runningPeriod } from './data/running-period.js';
import { formatDay, formatNumber, formatPeriod } from './format.js';
import { renderFreshness } from './freshness.js';
import { renderCard, renderDataTable, renderEmpty, renderFetch } from './render-state.js';
import { scopeStyles } from './scope-styles.js';
import { sharedStyles } from './shared-styles.js';
import { chartTexts } from './specs/chart-text.js';
import type { MessageKey } from './messages.js';

const MODES: readonly { mode: UsageMode; label: MessageKey }[] = [
  { mode: 'all', label: 'modeAll' },
  { mode: 'free', label: 'modeFree' },
  { mode: 'paid', label: 'modePaid' },
];

@customElement('ci-usage-chart')
export class CiUsageChart extends CiElement {
  static override styles = [sharedStyles, scopeStyles];

  /** `month` (default) or `day`. */
  @property() granularity: 'month' | 'day' = 'month';
  /** First and last month shown, YYYY-MM (optional; the service's default range otherwise). */
  @property() from = '';
  @property() to = '';
  /** All / Free / Paid. */
  @property() mode: UsageMode = 'all';
  /** The phone-number filter ('' = every number the token covers); starts from `phone-number-id`. */
  @state() private filter: string | null = null;

  private readonly chartRef = createRef<HTMLDivElement>();
  private readonly chart = new ChartController(this, {
    chart: 'usage',
    container: () => this.chartRef.value,
    texts: () => chartTexts(this.t),
    locale: () => this.resolvedLocale,
  });

  private readonly phones = new FetchController(this, {
    args: () => [this.apiBase, this.token, this.wabaId] as const,
    task: async ([, , waba], signal) =>
      (await this.api().get<{ phone_numbers: PhoneNumber[] }>('/v1/phone-numbers', { waba_id: waba }, signal))
        .phone_numbers,
  });

  private readonly usage = new FetchController(this, {
    args: () =>
      [
        this.apiBase,
        this.token,
        this.wabaId,
        this.currentFilter,
        this.granularity,
        this.from,
        this.to,
      ] as const,
    task: ([, , waba, phone, granularity, from, to], signal) =>
      this.api().get<UsageResponse>(
        '/v1/usage',
        { waba_id: waba, phone_number_id: phone, granularity, from, to },
        signal,
      ),
  });

  private get currentFilter(): string {
    return this.filter ?? this.phoneNumberId;
  }

  override render() {
    const t = this.t;
    return renderCard(
      t,
      { title: t('usageTitle'), loading: this.usage.loading, controls: this.renderControls() },
      html`${renderFetch(
        t,
        this.usage.state,
        (r) => this.renderUsage(r),
        () => this.usage.reload(),
      )}`,
    );
  }

  private renderControls() {
    const t = this.t;
    const phones = this.phones.state.status === 'complete' ? this.phones.state.value : [];
    return html`
      <div class="segmented" role="group" aria-label=${t('unitsShown')} part="toggle">
        ${MODES.map(
          (m) =>
            html`<button
              part="button"
              aria-pressed=${this.mode === m.mode ? 'true' : 'false'}
              data-mode=${m.mode}
              @click=${() => (this.mode = m.mode)}
            >
              ${t(m.label)}
            </button>`,
        )}
      </div>
      <label class="sr-only" for="phone">${t('phoneNumber')}</label>
      <select
        id="phone"
        part="select"
        @change=${(e: Event) => (this.filter = (e.target as HTMLSelectElement).value)}
      >
        <option value="" ?selected=${this.currentFilter === ''}>${t('allNumbers')}</option>
        ${phones.map(
          (p) =>
            html`<option value=${p.phone_number_id} ?selected=${this.currentFilter === p.phone_number_id}>
              ${phoneName(p)}
            </option>`,
        )}
      </select>
      <label class="sr-only" for="granularity">${t('granularity')}</label>
      <select
        id="granularity"
        part="select"
        @change=${(e: Event) => (this.granularity = (e.target as HTMLSelectElement).value as 'month' | 'day')}
      >
        <option value="month" ?selected=${this.granularity === 'month'}>${t('monthly')}</option>
        <option value="day" ?selected=${this.granularity === 'day'}>${t('daily')}</option>
      </select>
    `;
  }

  /** The period still running, if the answer has it, and its "Partial month, up to …" note. */
  private partialOf(periods: readonly string[], r: UsageResponse) {
    const granularity = r.granularity === 'day' ? 'day' : 'month';
    const period = runningPeriod(granularity);
    if (!periods.includes(period)) return null;
    const upTo = knownUpTo(period, r.data_through).toISOString();
    const locale = this.resolvedLocale;
    const note =
      granularity === 'month'
        ? this.t('partialMonth', { date: formatDay(upTo, locale) })
        : this.t('partialDay', {
            date: new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(upTo)),
          });
    return { period, note };
  }

  private renderUsage(r: UsageResponse) {
    const t = this.t;
    const periods = sumUsageByPeriod(r.rows);
    if (periods.length === 0) return renderEmpty(t('noUsage'));
    const locale = this.resolvedLocale;
    const partial = this.partialOf(
      periods.map((p) => p.period),
      r,
    );
    this.chart.setData(toUsageChartRows(periods, this.mode, locale, chartTexts(t), partial));
    const n = (v: number) => formatNumber(v, locale);
    return html`
      ${renderFreshness(t, locale, r.data_through)}
      <p class="summary" part="summary" data-testid="summary">${summarizeUsage(periods, this.mode, t)}</p>
      <div class="chart" part="chart" ${ref(this.chartRef)} aria-hidden="true"></div>
      ${
        partial
          ? html`<p class="muted legend-note" data-testid="partial-note">
              <span class="swatch-partial" aria-hidden="true"></span>${partial.note}
            </p>`
          : nothing
      }
      ${this.chart.failed ? html`<p class="muted">${t('chartFailed')}</p>` : nothing}
      ${renderDataTable(
        t,
        t('usageTableCaption'),
        [
          {
            label: t('colPeriod'),
            cell: (p) =>
              formatPeriod(p.period, locale) + (p.period === partial?.period ? ` (${partial.note})` : ''),
          },
          ...(unitsOf(periods).length > 1
            ? [{ label: t('colUnit'), cell: (p: (typeof periods)[number]) => unitPanel(t, p.unit) }]
            : []),
          { label: t('modeFree'), numeric: true, cell: (p) => n(p.free) },
          { label: t('modePaid'), numeric: true, cell: (p) => n(p.paid) },
          { label: t('modeAll'), numeric: true, cell: (p) => n(p.all) },
        ],
        periods,
      )}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'ci-usage-chart': CiUsageChart;
  }
}
