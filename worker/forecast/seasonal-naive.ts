/**
 * Seasonal naive point forecast: each future period repeats the value one season earlier.
 *
 * @example
 * forecastSeasonalNaive([1, 2, 3, 4, 5, 6], 3, 4); // => [4, 5, 6, 4]
 */
export function forecastSeasonalNaive(
  values: readonly number[],
  seasonLength: number,
  horizon: number,
): number[] {
  const n = values.length;
  const m = Math.max(1, Math.min(seasonLength, n));
  const out: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    // The value at n + h - m·k for the smallest k ≥ 1 that lands inside the history.
    const k = Math.ceil(h / m);
    out.push(values[n + h - 1 - k * m] ?? values[n - 1] ?? 0);
  }
  return out;
}
