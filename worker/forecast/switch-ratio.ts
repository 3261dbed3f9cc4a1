/**
 * The per-message switch changed the unit of a usage series: months before it count conversations, months from
 * it on count messages. This learns the messages-per-conversation ratio of one series from the months around the
 * switch and converts the earlier months into message-equivalents, so the models see the whole history (and its
 * seasons) instead of only the months since the switch.
 *
 * The ratio is the level shift at the switch in a log-linear regression with a trend and (with enough months)
 * month-of-year effects: log y_t = a + b·t + s_{t mod m} + d·[t ≥ switch] + e_t, ratio = exp(d), and its standard
 * error (on the log scale) says how uncertain the conversion is; forecasts widen their intervals with it.
 *
 * @example
 * learnSwitchRatio([10, 11, 12, 13, 28, 30, 32, 34], 4, 1); // => { ratio ≈ 2.15, logSe ≈ 0, … }
 */
import { solveLeastSquares } from './least-squares.js';

export interface SwitchRatio {
  /** Messages per conversation. */
  readonly ratio: number;
  /** Standard error of log(ratio). */
  readonly logSe: number;
  readonly monthsBefore: number;
  readonly monthsAfter: number;
}

/** Months either side of the switch that inform the ratio: level and season near it matter, not years away. */
const WINDOW = 24;

export function learnSwitchRatio(
  values: readonly number[],
  switchIndex: number,
  seasonLength: number,
): SwitchRatio | null {
  const from = Math.max(0, switchIndex - WINDOW);
  const to = Math.min(values.length, switchIndex + WINDOW);
  const rows: { t: number; y: number }[] = [];
  for (let t = from; t < to; t++) if (values[t]! > 0) rows.push({ t, y: Math.log(values[t]!) });
  const before = rows.filter((r) => r.t < switchIndex).length;
  const after = rows.length - before;
  if (before < 3 || after < 2) return null;
  const m = seasonLength;
  // Month-of-year effects need each position seen at least once before the switch and enough spare points.
  const seasonal = m > 1 && before >= m && rows.length >= m + 8;
  const width = 3 + (seasonal ? m - 1 : 0);
  const x = rows.map((r) => {
    const row = [1, (r.t - switchIndex) / 12, r.t >= switchIndex ? 1 : 0];
    if (seasonal) for (let j = 1; j < m; j++) row.push(r.t % m === j ? 1 : 0);
    return row;
  });
  const fit = solveLeastSquares(
    x,
    rows.map((r) => r.y),
  );
  if (!fit || rows.length <= width) return null;
  const d = fit.coef[2]!;
  const se = Math.sqrt(Math.max(0, fit.sigma2 * fit.inverseDiagonal[2]!));
  if (!Number.isFinite(d) || !Number.isFinite(se)) return null;
  return { ratio: Math.exp(d), logSe: se, monthsBefore: before, monthsAfter: after };
}

/** The series with the months before the switch multiplied by the ratio. */
export function convertBeforeSwitch(values: readonly number[], switchIndex: number, ratio: number): number[] {
  return values.map((v, t) => (t < switchIndex ? v * ratio : v));
}
