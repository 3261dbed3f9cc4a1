/**
 * Exact money arithmetic on decimal strings: values are held as BigInt micro-units (6 decimals, the scale of
 * every DECIMAL(18,6) column), so nothing ever passes through a float.
 */
const SCALE = 6;
const ONE = 10n ** BigInt(SCALE);

/**
 * '12.5' → 12500000n; throws on anything that is not a plain decimal with at most 6 decimals. A seventh decimal
 * is refused rather than dropped: truncating would create or lose money without a trace.
 */
export function toMicros(value: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(value.trim());
  if (!m) throw new RangeError(`not a decimal amount: "${value}"`);
  const micros = BigInt(m[2] ?? '0') * ONE + BigInt((m[3] ?? '').padEnd(SCALE, '0') || '0');
  return m[1] === '-' ? -micros : micros;
}

/** 12500000n → '12.500000' (the same text DuckDB gives for DECIMAL(18,6)). */
export function fromMicros(micros: bigint): string {
  const neg = micros < 0n;
  const abs = neg ? -micros : micros;
  const whole = abs / ONE;
  const frac = (abs % ONE).toString().padStart(SCALE, '0');
  return `${neg ? '-' : ''}${whole}.${frac}`;
}

/** Exact sum of two decimal strings, as DuckDB writes DECIMAL(18,6). */
export function addDecimal(a: string, b: string): string {
  return fromMicros(toMicros(a) + toMicros(b));
}

/** The number of decimals of a currency's minor unit (EUR 2, JPY 0, KWD 3). */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** Divides num/den (den > 0) and rounds half-up (away from zero) to an integer. */
function divHalfUp(num: bigint, den: bigint): bigint {
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (2n * a + den) / (2n * den);
  return neg ? -q : q;
}

/** Rounds micro-units to the currency's minor unit, half-up. */
export function roundToMinor(micros: bigint, currency: string): bigint {
  const step = 10n ** BigInt(SCALE - minorDigits(currency));
  return divHalfUp(micros, step) * step;
}

/** Rounds micro-units up to the next minor unit (for "enough for N days"). */
export function ceilToMinor(micros: bigint, currency: string): bigint {
  const step = 10n ** BigInt(SCALE - minorDigits(currency));
  const q = micros / step;
  return (micros % step > 0n ? q + 1n : q) * step;
}

/** amount × percent / 100 + fixed, computed exactly and rounded once to the minor unit, half-up. */
export function feeMicros(
  amount: bigint,
  rule: { readonly percent: string; readonly fixed: string },
  currency: string,
): bigint {
  const step = 10n ** BigInt(SCALE - minorDigits(currency));
  // amount (micros) × percent (micros) / (100 × 10^6) gives micros; express in minor units before rounding.
  const exact = amount * toMicros(rule.percent) + toMicros(rule.fixed) * 100n * ONE;
  return divHalfUp(exact, 100n * ONE * step) * step;
}

export function maxMicros(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function minMicros(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
