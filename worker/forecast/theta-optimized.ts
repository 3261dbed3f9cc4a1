/**
 * The optimised Theta models of Fiorucci et al. (2016) in their state-space form: the standard Theta method fixes
 * θ = 2 (half the linear trend's slope as drift) and fits SES alone; the optimised model (OTM) chooses θ, the
 * smoothing α and the initial level together by the in-sample one-step mean squared error, so a series with a
 * strong, steady trend keeps more of it and a noisy one less. The dynamic variant (DOTM) re-estimates the trend
 * line's intercept A and slope B from the observations up to each step, so the drift follows the recent slope.
 *
 *   μ_t = ℓ_{t−1} + (1 − 1/θ)·((1 − α)^{t−1}·A + (1 − (1 − α)^t)/α · B)
 *   ℓ_t = α·y_t + (1 − α)·ℓ_{t−1}
 *   ŷ_{n+h} = ℓ_n + (1 − 1/θ)·((1 − α)^n·A_n + ((h − 1) + (1 − (1 − α)^{n+1})/α)·B_n)
 *
 * Runs on a series already seasonally adjusted by the caller.
 *
 * @example
 * forecastThetaOptimized([1, 2, 3, 4, 5, 6, 7, 8], 2, { dynamic: true }); // ≈ [9, 10] (a line continues)
 */
import { minimizeNelderMead } from './nelder-mead.js';

// The bounds of Fiorucci et al.'s implementation: α below 0.1 turns the level into a long-run mean that a
// trend line then carries far off; θ = 1 is SES alone and large θ the full linear trend.
const THETA_MIN = 1;
const ALPHA_MIN = 0.1;
const THETA_MAX = 50;

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/** Intercept and slope of the least-squares line through (t, y_t), t = 1..k, from running sums. */
function line(k: number, sy: number, sty: number): [number, number] {
  if (k < 2) return [sy / Math.max(1, k), 0];
  const st = (k * (k + 1)) / 2;
  const stt = (k * (k + 1) * (2 * k + 1)) / 6;
  const b = (k * sty - st * sy) / (k * stt - st * st);
  return [(sy - b * st) / k, b];
}

interface Fitted {
  readonly level: number;
  readonly alpha: number;
  readonly theta: number;
  readonly a: number;
  readonly b: number;
  readonly mse: number;
}

/**
 * The trend line A, B seen at each step t = 1..n (index t − 1) and after the last one (index n): the whole
 * series' line for OTM; for DOTM the line through the observations before t. They do not depend on the
 * parameters, so they are computed once per series, not once per objective evaluation.
 */
function trendLines(x: readonly number[], dynamic: boolean): { a: Float64Array; b: Float64Array } {
  const n = x.length;
  const a = new Float64Array(n + 1);
  const b = new Float64Array(n + 1);
  let sy = 0;
  let sty = 0;
  for (let t = 0; t < n; t++) {
    if (dynamic) [a[t], b[t]] = t === 0 ? [x[0]!, 0] : line(t, sy, sty);
    sy += x[t]!;
    sty += (t + 1) * x[t]!;
  }
  [a[n], b[n]] = line(n, sy, sty);
  if (!dynamic) {
    a.fill(a[n]!);
    b.fill(b[n]!);
  }
  return { a, b };
}

function run(
  x: readonly number[],
  lines: { a: Float64Array; b: Float64Array },
  alpha: number,
  theta: number,
  l0: number,
): Fitted {
  const n = x.length;
  let level = l0;
  let decay = 1;
  let sse = 0;
  const w = 1 - 1 / theta;
  for (let t = 0; t < n; t++) {
    const y = x[t]!;
    const mu = level + w * (decay * lines.a[t]! + ((1 - decay * (1 - alpha)) / alpha) * lines.b[t]!);
    sse += (y - mu) ** 2;
    level = alpha * y + (1 - alpha) * level;
    decay *= 1 - alpha;
  }
  return { level, alpha, theta, a: lines.a[n]!, b: lines.b[n]!, mse: sse / n };
}

function fit(x: readonly number[], dynamic: boolean): Fitted {
  const scale = Math.max(1e-9, x.reduce((s, v) => s + Math.abs(v), 0) / x.length);
  const lines = trendLines(x, dynamic);
  const decode = (p: readonly number[]) => ({
    alpha: ALPHA_MIN + (0.99 - ALPHA_MIN) * logistic(p[0]!),
    theta: THETA_MIN + (THETA_MAX - THETA_MIN) * logistic(p[1]!),
    l0: p[2]! * scale,
  });
  const objective = (p: readonly number[]) => {
    const d = decode(p);
    const r = run(x, lines, d.alpha, d.theta, d.l0);
    return Number.isFinite(r.mse) ? r.mse : Infinity;
  };
  // Start at the standard method: α = 0.5, θ = 2, ℓ0 = the first value.
  const start = [0, Math.log(1 / (THETA_MAX - THETA_MIN - 1)), x[0]! / scale];
  const best = minimizeNelderMead(objective, start, { maxEvaluations: 300, tolerance: 1e-7 });
  const d = decode(best.x);
  return run(x, lines, d.alpha, d.theta, d.l0);
}

export function forecastThetaOptimized(
  x: readonly number[],
  horizon: number,
  opts: { dynamic?: boolean } = {},
): number[] {
  const n = x.length;
  if (n < 3) return new Array<number>(horizon).fill(x[n - 1] ?? 0);
  const f = fit(x, opts.dynamic ?? false);
  const w = 1 - 1 / f.theta;
  const decay = (1 - f.alpha) ** n;
  const out: number[] = [];
  for (let h = 1; h <= horizon; h++)
    out.push(f.level + w * (decay * f.a + (h - 1 + (1 - decay * (1 - f.alpha)) / f.alpha) * f.b));
  return out;
}
