/**
 * Ordinary least squares for small designs (a few to a few dozen columns) by the normal equations and
 * Gauss–Jordan elimination with partial pivoting: coefficients, residual variance and the diagonal of (X'X)⁻¹ for
 * standard errors. Null when the design is rank-deficient.
 *
 * @example
 * solveLeastSquares([[1, 0], [1, 1], [1, 2]], [1, 3, 5])!.coef; // => [1, 2]
 */
export interface LeastSquares {
  readonly coef: number[];
  readonly sigma2: number;
  readonly inverseDiagonal: number[];
}

export function solveLeastSquares(
  x: readonly (readonly number[])[],
  y: readonly number[],
): LeastSquares | null {
  const n = x.length;
  const k = x[0]?.length ?? 0;
  if (n === 0 || k === 0) return null;
  // Augmented [X'X | I | X'y].
  const a: number[][] = Array.from({ length: k }, () => new Array<number>(2 * k + 1).fill(0));
  for (let r = 0; r < n; r++) {
    const row = x[r]!;
    for (let i = 0; i < k; i++) {
      const xi = row[i]!;
      if (xi === 0) continue;
      const ai = a[i]!;
      for (let j = 0; j < k; j++) ai[j]! += xi * row[j]!;
      ai[2 * k]! += xi * y[r]!;
    }
  }
  for (let i = 0; i < k; i++) a[i]![k + i] = 1;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (Math.abs(a[p]![c]!) < 1e-10) return null;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const pivot = a[c]![c]!;
    for (let j = 0; j <= 2 * k; j++) a[c]![j]! /= pivot;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f === 0) continue;
      for (let j = 0; j <= 2 * k; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  const coef = a.map((row) => row[2 * k]!);
  let sse = 0;
  for (let r = 0; r < n; r++) {
    let f = 0;
    for (let j = 0; j < k; j++) f += x[r]![j]! * coef[j]!;
    sse += (y[r]! - f) ** 2;
  }
  return {
    coef,
    sigma2: n > k ? sse / (n - k) : NaN,
    inverseDiagonal: a.map((row, i) => row[k + i]!),
  };
}
