/**
 * Auto-renewal settings derived from observed spend, after 360dialog's sizing advice (DOMAIN.md §7.2): stable
 * usage → top up about a month's average; fluctuating usage → about the last 15 days. The threshold covers the
 * spend during the settlement delay at a busy day's rate plus a safety margin of three average days (the Hub
 * example: €2,000 a month → threshold €200), and the amount is kept above the threshold.
 */
export interface Recommendation {
  readonly threshold: string;
  readonly amount: string;
  readonly usage: 'stable' | 'fluctuating';
  /** Mean daily spend over the last 30 days. */
  readonly daily_average: string;
  /** Coefficient of variation of the last four weekly totals. */
  readonly weekly_variation: number | null;
}

const STABLE_CV = 0.25;
const MARGIN_DAYS = 3;
const DAYS_PER_MONTH = 365.25 / 12;

const mean = (a: readonly number[]) => (a.length ? a.reduce((s, v) => s + v, 0) / a.length : 0);
/** Rounded up to the currency's minor unit. */
const up = (x: number, digits: number) => (Math.ceil(x * 10 ** digits - 1e-9) / 10 ** digits).toFixed(digits);

/**
 * The recommendation from daily spend (oldest first), the forecast's 80 % upper band for the coming days and
 * the settlement delay; null when nothing was spent in the last 90 days.
 */
export function recommendRenewal(
  daily: readonly number[],
  upcomingUpper80: readonly number[],
  settlementDelayMs: number,
  digits = 2,
): Recommendation | null {
  const last90 = daily.slice(-90);
  const last30 = daily.slice(-30);
  const avg30 = mean(last30);
  const avg90 = mean(last90);
  if (!(avg90 > 0)) return null;
  let cv: number | null = null;
  if (daily.length >= 28) {
    const last28 = daily.slice(-28);
    const weeks = [0, 1, 2, 3].map((w) => last28.slice(w * 7, w * 7 + 7).reduce((s, v) => s + v, 0));
    const m = mean(weeks);
    cv = m > 0 ? Math.sqrt(mean(weeks.map((w) => (w - m) ** 2))) / m : null;
  }
  const stable = cv !== null && cv <= STABLE_CV;
  const last15 = daily.slice(-15).reduce((s, v) => s + v, 0);
  let amount = stable ? avg90 * DAYS_PER_MONTH : Math.max(last15, 15 * avg30);
  const busyDay = Math.max(avg30, ...upcomingUpper80.slice(0, 7), ...last30);
  const threshold = busyDay * (settlementDelayMs / 86_400_000) + MARGIN_DAYS * Math.max(avg30, avg90);
  if (amount <= threshold) amount = 2 * threshold;
  return {
    threshold: up(threshold, digits),
    amount: up(amount, digits),
    usage: stable ? 'stable' : 'fluctuating',
    daily_average: up(avg30, digits),
    weekly_variation: cv === null ? null : Math.round(cv * 1000) / 1000,
  };
}
