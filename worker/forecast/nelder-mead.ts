/**
 * Nelder–Mead simplex minimisation (standard coefficients 1, 2, 0.5, 0.5) with a relative-tolerance stop and an
 * evaluation budget. Unconstrained: callers map bounded parameters through transforms.
 *
 * @example
 * minimizeNelderMead((x) => (x[0]! - 1) ** 2 + (x[1]! + 2) ** 2, [0, 0]).x; // ≈ [1, -2]
 */
export interface NelderMeadResult {
  x: number[];
  value: number;
  evaluations: number;
}

export function minimizeNelderMead(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  opts: { step?: number; maxEvaluations?: number; tolerance?: number } = {},
): NelderMeadResult {
  const d = start.length;
  const step = opts.step ?? 0.5;
  const maxEval = opts.maxEvaluations ?? 200 * d;
  const tol = opts.tolerance ?? 1e-8;
  const pts: number[][] = [start.slice()];
  for (let i = 0; i < d; i++) {
    const p = start.slice();
    p[i] = p[i]! + (p[i] !== 0 ? step * Math.max(1, Math.abs(p[i]!)) * 0.5 : step);
    pts.push(p);
  }
  const vals = pts.map((p) => f(p));
  let evals = d + 1;
  const order = pts.map((_, i) => i);
  const centroid = new Array<number>(d).fill(0);
  const at = (coef: number, worst: number[]): number[] => centroid.map((c, j) => c + coef * (worst[j]! - c));
  while (evals < maxEval) {
    order.sort((a, b) => vals[a]! - vals[b]!);
    const best = vals[order[0]!]!;
    const worstI = order[d]!;
    const worstV = vals[worstI]!;
    if (Math.abs(worstV - best) <= tol * (Math.abs(best) + tol)) break;
    centroid.fill(0);
    for (let k = 0; k < d; k++) {
      const p = pts[order[k]!]!;
      for (let j = 0; j < d; j++) centroid[j]! += p[j]! / d;
    }
    const worst = pts[worstI]!;
    const xr = at(-1, worst);
    const fr = f(xr);
    evals++;
    const second = vals[order[d - 1]!]!;
    if (fr < best) {
      const xe = at(-2, worst);
      const fe = f(xe);
      evals++;
      if (fe < fr) {
        pts[worstI] = xe;
        vals[worstI] = fe;
      } else {
        pts[worstI] = xr;
        vals[worstI] = fr;
      }
    } else if (fr < second) {
      pts[worstI] = xr;
      vals[worstI] = fr;
    } else {
      const outside = fr < worstV;
      const xc = outside ? at(-0.5, worst) : at(0.5, worst);
      const fc = f(xc);
      evals++;
      if (fc < (outside ? fr : worstV)) {
        pts[worstI] = xc;
        vals[worstI] = fc;
      } else {
        // Shrink towards the best point.
        const bp = pts[order[0]!]!;
        for (let k = 1; k <= d; k++) {
          const i = order[k]!;
          pts[i] = pts[i]!.map((v, j) => bp[j]! + 0.5 * (v - bp[j]!));
          vals[i] = f(pts[i]!);
          evals++;
        }
      }
    }
  }
  let bi = 0;
  for (let i = 1; i <= d; i++) if (vals[i]! < vals[bi]!) bi = i;
  return { x: pts[bi]!, value: vals[bi]!, evaluations: evals };
}
