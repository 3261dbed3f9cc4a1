/**
 * Corrected Akaike information criterion from -2·log-likelihood, parameter count k and sample size n:
 * AICc = lik + 2k + 2k(k+1)/(n−k−1); Infinity when n ≤ k + 1 (the model cannot be compared).
 *
 * @example
 * computeAicc(100, 3, 20); // => 100 + 6 + 24/16 = 107.5
 */
export function computeAicc(lik: number, k: number, n: number): number {
  if (n - k - 1 <= 0) return Infinity;
  return lik + 2 * k + (2 * k * (k + 1)) / (n - k - 1);
}
