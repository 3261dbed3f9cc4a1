/** Intl formatting shared by the widgets: numbers, money (from decimal strings), periods and dates. */

/** A decimal string or number as a JS number for display only (never for sums of money). */
export function toNumber(v: string | number | null | undefined): number {
  if (v === null || v === undefined || v === '') return NaN;
  return typeof v === 'number' ? v : Number(v);
}

export function formatNumber(v: number, locale: string | undefined): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(v);
}

/** Money from an exact decimal string; the string keeps its precision until this display step. */
export function formatMoney(
  v: string | number | null | undefined,
  currency: string,
  locale: string | undefined,
): string {
  const n = toNumber(v);
  if (Number.isNaN(n)) return '—';
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(n);
  } catch {
    return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(n)} ${currency}`;
  }
}

export function formatPercent(share: string | number, locale: string | undefined): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(
    toNumber(share),
  );
}

/** `2025-03` → "Mar 2025", `2025-03-14` → "14 Mar" (in UTC: periods are already local calendar days). */
export function formatPeriod(period: string, locale: string | undefined): string {
  const [y, m, d] = period.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  const opts: Intl.DateTimeFormatOptions =
    d === undefined
      ? { month: 'short', year: 'numeric', timeZone: 'UTC' }
      : { day: 'numeric', month: 'short', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, opts).format(date);
}

/** `YYYY-MM-DD` or an ISO instant → a medium date; null → the fallback text. */
export function formatDate(v: string | null | undefined, locale: string | undefined, fallback = '—'): string {
  if (!v) return fallback;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : new Date(v);
  if (Number.isNaN(date.getTime())) return v;
  const utc = /^\d{4}-\d{2}-\d{2}$/.test(v);
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    ...(utc ? { timeZone: 'UTC' } : { timeStyle: 'short' }),
  }).format(date);
}

/** The calendar day of an ISO instant (the viewer's time zone) or of `YYYY-MM-DD`, as a medium date. */
export function formatDay(v: string, locale: string | undefined): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const date = new Date(day ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(date.getTime())) return v;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(day ? { timeZone: 'UTC' } : {}) }).format(
    date,
  );
}
