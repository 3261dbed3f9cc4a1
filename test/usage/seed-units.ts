/**
 * Test helper: sends billing units (DOMAIN.md §9.2 columns) through POST /v1/ingest as NDJSON, so the usage
 * tests exercise the real ingest → refreshDerived → rollup path. Defaults: a delivered CBP conversation to a
 * North American number.
 */
import type { Harness } from '../helpers/harness.js';

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

/** Ingests the units with the partner key; throws with the problem body unless the batch is accepted. */
export async function seedUnits(h: Harness, key: string, units: readonly UnitSeed[]): Promise<void> {
  const lines = units.map((u) => {
    const { pricing_type_in, rate_in, cost_in, ...rest } = u;
    const rec: Record<string, unknown> = {
      pricing_model: 'CBP',
      unit: u.pricing_model === 'PMP' ? 'message' : 'conversation',
      recipient_wa_id: '15550001111',
      recipient_country: 'US',
      market: 'North America',
      status_final: 'delivered',
      ...rest,
      pricing_type: pricing_type_in,
      rate: rate_in,
      cost: cost_in,
    };
    for (const k of Object.keys(rec)) if (rec[k] === null || rec[k] === undefined) delete rec[k];
    return JSON.stringify(rec);
  });
  const res = await h.call('POST', '/v1/ingest', {
    token: key,
    body: lines.join('\n') + '\n',
    headers: { 'content-type': 'application/x-ndjson' },
  });
  if (res.status !== 200) throw new Error(`ingest failed (${res.status}): ${await res.text()}`);
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
