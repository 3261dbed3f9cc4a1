/**
 * Test helper: inserts billing units straight into the store and runs the derivation contract, so usage tests
 * do not depend on the ingest route's formats.
 */
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { refreshDerived } from '../../worker/usage/derive.js';
import type { WabaMonth } from '../../worker/usage/scope.js';

export interface UnitSeed {
  unit_id: string;
  waba_id: string;
  phone_number_id: string;
  opened_at: string;
  category: string;
  pricing_model?: 'CBP' | 'PMP' | 'NBP';
  unit?: 'conversation' | 'message';
  recipient_wa_id?: string;
  recipient_country?: string | null;
  market?: string | null;
  pricing_type_in?: string | null;
  billable_reported?: boolean | null;
  is_template?: boolean | null;
  in_csw?: boolean | null;
  in_fep?: boolean | null;
  status_final?: string | null;
  rate_in?: string | null;
  cost_in?: string | null;
}

const COLUMNS = [
  'unit_id',
  'pricing_model',
  'unit',
  'waba_id',
  'phone_number_id',
  'recipient_wa_id',
  'recipient_country',
  'market',
  'category',
  'pricing_type_in',
  'billable_reported',
  'opened_at',
  'is_template',
  'in_csw',
  'in_fep',
  'status_final',
  'rate_in',
  'cost_in',
  'ingested_at',
] as const;

/** Inserts the units (derived columns NULL) and refreshes derivation in one transaction. */
export async function seedUnits(db: DuckDbStore, units: readonly UnitSeed[]): Promise<WabaMonth[]> {
  const json = JSON.stringify(
    units.map((u) => ({
      pricing_model: 'CBP',
      unit: u.pricing_model === 'PMP' ? 'message' : 'conversation',
      recipient_wa_id: '15550001111',
      recipient_country: 'US',
      market: 'North America',
      pricing_type_in: null,
      billable_reported: null,
      is_template: null,
      in_csw: null,
      in_fep: null,
      status_final: 'delivered',
      rate_in: null,
      cost_in: null,
      ingested_at: '2026-01-01T00:00:00Z',
      ...u,
    })),
  );
  return db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO units (${COLUMNS.join(', ')})
       SELECT ${COLUMNS.join(', ')} FROM (
         SELECT unnest(from_json($j, '[{"unit_id":"VARCHAR","pricing_model":"VARCHAR","unit":"VARCHAR",
           "waba_id":"VARCHAR","phone_number_id":"VARCHAR","recipient_wa_id":"VARCHAR",
           "recipient_country":"VARCHAR","market":"VARCHAR","category":"VARCHAR","pricing_type_in":"VARCHAR",
           "billable_reported":"BOOLEAN","opened_at":"TIMESTAMPTZ","is_template":"BOOLEAN","in_csw":"BOOLEAN",
           "in_fep":"BOOLEAN","status_final":"VARCHAR","rate_in":"DECIMAL(18,6)","cost_in":"DECIMAL(18,6)",
           "ingested_at":"TIMESTAMPTZ"}]'), recursive := true))`,
      { j: json },
    );
    return refreshDerived(tx, { pending: true });
  });
}

/** n units opened one minute apart from start (UTC ISO), ids `${prefix}-0001`…. */
export function series(
  n: number,
  start: string,
  base: Omit<UnitSeed, 'unit_id' | 'opened_at'>,
  prefix: string,
): UnitSeed[] {
  const t0 = Date.parse(start);
  return Array.from({ length: n }, (_, i) => ({
    ...base,
    unit_id: `${prefix}-${String(i + 1).padStart(5, '0')}`,
    opened_at: new Date(t0 + i * 60_000).toISOString(),
  }));
}
