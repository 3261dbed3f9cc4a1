/** The JSON shapes of the HTTP contract that the widgets read (money as decimal strings). */
import { currentLabel } from '../label-sync.js';

export interface PhoneNumber {
  readonly phone_number_id: string;
  readonly waba_id: string;
  readonly display_phone_number: string | null;
  readonly label: string | null;
  readonly currency: string;
}

export interface Waba {
  readonly waba_id: string;
  readonly name: string;
  readonly currency: string;
  readonly timezone: string;
}

export interface UsageRow {
  readonly period: string;
  readonly unit: string;
  readonly all: number;
  readonly free: number;
  readonly paid: number;
}
export interface UsageResponse {
  readonly granularity: 'month' | 'day';
  readonly rows: readonly UsageRow[];
  readonly data_through?: string | null;
}

export interface ChargeForecastPoint {
  readonly period: string;
  readonly mean: string | number;
  readonly lower_80?: string | number | null;
  readonly upper_80?: string | number | null;
}
/** Paid units no rate card or record priced: the charges leave them out. */
export interface UnpricedUnits {
  readonly count: number;
  readonly by?: readonly { market: string | null; category: string; unit: string; count: number }[];
}

export interface ChargesForecastResponse {
  readonly currency: string;
  readonly method?: string;
  readonly history: readonly { period: string; value: string | number }[];
  readonly forecast: readonly ChargeForecastPoint[];
  readonly unpriced_units?: UnpricedUnits;
  /** The latest unit received for the scope (ISO timestamp), null when none. */
  readonly data_through?: string | null;
}

/** GET /v1/charges (month rows; amounts are decimal strings, null when every paid unit was unpriced). */
export interface ChargesTable {
  /** The last month of the range (the current one unless `to` was given). */
  readonly to?: string;
  readonly as_of?: string;
  readonly rows: readonly { period: string; currency: string; amount: string | null }[];
  readonly unpriced_units?: UnpricedUnits;
  readonly data_through?: string | null;
}

export interface BalanceNumber {
  readonly phone_number_id: string;
  readonly label: string | null;
  readonly display_phone_number: string | null;
  readonly currency: string;
  readonly balance: string;
  readonly pending: string;
  readonly share: string | null;
  readonly state?: 'positive' | 'zero' | 'negative';
  readonly ran_out_at?: string | null;
}
export interface BalancesResponse {
  readonly totals: readonly { currency: string; balance: string }[];
  readonly numbers: readonly BalanceNumber[];
  readonly data_through?: string | null;
}

export interface AutoRenewal {
  readonly enabled: boolean;
  readonly threshold: string;
  readonly amount: string;
  readonly mode?: 'fixed' | 'target';
  readonly monthly_cap?: string | null;
  readonly payment_method?: string;
  readonly low_balance_threshold?: string | null;
  readonly consecutive_failures?: number;
  readonly disabled_reason?: string | null;
}

/** GET and PUT /v1/phone-numbers/{id}/auto-renewal. */
export interface AutoRenewalAnswer {
  readonly phone_number_id: string;
  readonly currency: string;
  readonly auto_renewal: AutoRenewal | null;
  readonly warnings?: readonly string[];
}
export interface PhoneBalance {
  readonly phone_number_id: string;
  readonly currency: string;
  readonly balance: string;
  readonly pending: string;
  readonly state: 'positive' | 'zero' | 'negative';
  readonly ran_out_at?: string | null;
  readonly data_through?: string | null;
  readonly auto_renewal: AutoRenewal | null;
}

export interface RunwayQuantiles {
  readonly p10: string | null;
  readonly p50: string | null;
  readonly p90: string | null;
}
export interface RunwayResponse {
  readonly currency: string;
  readonly balance: string;
  readonly runs_out: {
    readonly without_renewal: RunwayQuantiles;
    readonly with_renewal?: RunwayQuantiles | null;
  };
  readonly recommended?: {
    readonly threshold: string;
    readonly amount: string;
    /** Mean daily spend over the last 30 days. */
    readonly daily_average: string;
  } | null;
  readonly data_through?: string | null;
}

export interface Quote {
  readonly quote_id: string;
  readonly mode: 'one_time' | 'auto_renewal';
  readonly auto_renewal: { readonly threshold: string } | null;
  readonly currency: string;
  readonly amount: string;
  readonly fee: string;
  readonly total: string;
  readonly payment_method: string;
  readonly expires_at: string;
}
export interface TopUp {
  readonly topup_id: string;
  readonly status: string;
  readonly amount: string;
  readonly fee: string;
  readonly total: string;
  readonly available_by: string;
}

/** How a number is named to people: its label, else its display number, else its id. */
export function phoneName(p: {
  phone_number_id: string;
  label?: string | null;
  display_phone_number?: string | null;
}): string {
  return (
    currentLabel(p.phone_number_id, p.label) ||
    (p.display_phone_number ? `+${p.display_phone_number}` : p.phone_number_id)
  );
}
