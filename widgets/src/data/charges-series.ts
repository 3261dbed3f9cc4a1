/**
 * Shapes the charges forecast answer for the chart: actual bars, the running month's bar marked partial, then
 * the forecast joined to the last complete month.
 */
import type { Translate } from '../catalogue.js';
import { formatDay, formatMoney, formatPeriod, toNumber } from '../format.js';
import type { ChargesDatum } from '../specs/charges-chart-spec.js';
import type { ChartTexts } from '../specs/chart-text.js';
import type { ChargesForecastResponse, ChargesTable } from './api-types.js';
import type { PartialMonth } from './partial-month.js';

/**
 * Chart rows; the forecast line starts at the last actual so the two read as one series. The partial month
 * shares its period with the first forecast month (the forecast is for the whole month), and `texts.partial`
 * ("Partial month, up to …") is its note.
 */
export function toChargesChartRows(
  r: ChargesForecastResponse,
  locale: string | undefined,
  texts: Pick<ChartTexts, 'actual' | 'forecast' | 'partial'>,
  partial: PartialMonth | null = null,
): ChargesDatum[] {
  const out: ChargesDatum[] = [];
  const hist = r.history;
  const base = { partial: false } as const;
  hist.forEach((h, i) => {
    const amount = toNumber(h.value);
    const joins = i === hist.length - 1 && r.forecast.length > 0;
    out.push({
      ...base,
      order: i,
      label: formatPeriod(h.period, locale),
      kind: texts.actual,
      note: texts.actual,
      amount,
      mean: joins ? amount : null,
      lower: joins ? amount : null,
      upper: joins ? amount : null,
    });
  });
  if (partial) {
    out.push({
      order: hist.length,
      label: formatPeriod(partial.period, locale),
      kind: texts.actual,
      note: texts.partial,
      partial: true,
      amount: toNumber(partial.value),
      mean: null,
      lower: null,
      upper: null,
    });
  }
  r.forecast.forEach((f, i) => {
    out.push({
      ...base,
      order: hist.length + i,
      label: formatPeriod(f.period, locale),
      kind: texts.forecast,
      note: texts.forecast,
      amount: null,
      mean: toNumber(f.mean),
      lower: f.lower_80 == null ? null : toNumber(f.lower_80),
      upper: f.upper_80 == null ? null : toNumber(f.upper_80),
    });
  });
  return out;
}

/**
 * The text alternative: the last complete month, the running month so far, and the next forecast month with its
 * 80 % interval.
 */
export function summarizeCharges(
  r: ChargesForecastResponse,
  t: Translate,
  partial: PartialMonth | null = null,
): string {
  const locale = t.locale;
  const money = (v: string | number | null | undefined) => formatMoney(v, r.currency, locale);
  const parts: string[] = [];
  const last = r.history[r.history.length - 1];
  if (last)
    parts.push(t('chargesLast', { period: formatPeriod(last.period, locale), amount: money(last.value) }));
  if (partial)
    parts.push(
      t('chargesSoFar', {
        period: formatPeriod(partial.period, locale),
        date: formatDay(partial.through, locale),
        amount: money(partial.value),
      }),
    );
  const next = r.forecast[0];
  if (next) {
    const band =
      next.lower_80 != null && next.upper_80 != null
        ? t('chargesBand', { low: money(next.lower_80), high: money(next.upper_80) })
        : '';
    parts.push(t('chargesNext', { period: formatPeriod(next.period, locale), mean: money(next.mean), band }));
  }
  if (!next && last) parts.push(t('chargesNoForecast'));
  return parts.join(' ');
}

/**
 * Actual monthly charges from GET /v1/charges in the forecast answer's shape (no forecast), for when the
 * forecast cannot be computed. Sums per period exactly in micro-units, in the first currency seen.
 */
export function actualsOnly(t: ChargesTable): ChargesForecastResponse {
  const currency = t.rows[0]?.currency ?? 'USD';
  const micros = new Map<string, bigint>();
  for (const r of t.rows) {
    if (r.currency !== currency) continue;
    micros.set(r.period, (micros.get(r.period) ?? 0n) + toMicros(r.amount ?? '0'));
  }
  const history = [...micros.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, m]) => ({ period, value: fromMicros(m) }));
  return {
    currency,
    history,
    forecast: [],
    ...(t.unpriced_units ? { unpriced_units: t.unpriced_units } : {}),
    ...(t.data_through !== undefined ? { data_through: t.data_through } : {}),
  };
}

/** "N paid messages could not be priced" for the answer's unpriced units; null when there are none. */
export function describeUnpriced(r: ChargesForecastResponse, t: Translate): string | null {
  const u = r.unpriced_units;
  if (!u || u.count <= 0) return null;
  const by = u.by ?? [];
  const conversations = by.length > 0 && by.every((g) => g.unit === 'conversation');
  return t.plural(conversations ? 'unpricedConversations' : 'unpricedMessages', u.count);
}

function toMicros(v: string): bigint {
  const [int = '0', frac = ''] = v.replace('-', '').split('.');
  const m = BigInt(int) * 1_000_000n + BigInt((frac + '000000').slice(0, 6));
  return v.startsWith('-') ? -m : m;
}

function fromMicros(m: bigint): string {
  const neg = m < 0n;
  const a = neg ? -m : m;
  return `${neg ? '-' : ''}${a / 1_000_000n}.${(a % 1_000_000n).toString().padStart(6, '0')}`;
}
