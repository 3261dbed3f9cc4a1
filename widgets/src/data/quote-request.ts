/** The body of POST /v1/phone-numbers/{id}/funds/quotes for the wizard's choices. */
export type FundingMode = 'one_time' | 'auto_renewal';

export interface QuoteChoices {
  readonly mode: FundingMode;
  /** Decimal string as typed, already checked by the wizard. */
  readonly amount: string;
  readonly method: string;
  /** Auto-renewal: top up when the balance falls below this (empty = 0). */
  readonly threshold: string;
}

/** Builds the quote request; auto-renewal adds its threshold, one-time sends the amount only. */
export function quoteRequest(c: QuoteChoices): Record<string, unknown> {
  const base = { mode: c.mode, amount: c.amount, payment_method: c.method };
  return c.mode === 'one_time' ? base : { ...base, auto_renewal: { threshold: c.threshold || '0' } };
}
