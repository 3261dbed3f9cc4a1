/**
 * Test helper: writes billing units straight into `units` and runs the derivation pipeline, standing in for
 * POST /v1/ingest so pricing tests do not depend on the ingest format.
 */
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { refreshDerived } from '../../worker/billing/recompute.js';
import type { Harness } from '../helpers/harness.js';
import { systemDomain } from '../helpers/system-domain.js';

export interface TestUnit {
  unit_id: string;
  waba_id: string;
  phone_number_id: string;
  recipient: string;
  category: string;
  opened_at: string;
  pricing_model?: 'CBP' | 'PMP';
  is_template?: boolean;
  in_csw?: boolean;
  in_fep?: boolean;
  market?: string;
  rate_in?: string;
  cost_in?: string;
}

export async function insertUnits(db: DuckDbStore, units: readonly TestUnit[]): Promise<void> {
  const col = <K extends keyof TestUnit>(k: K, dflt: string) =>
    units.map((u) => (u[k] === undefined ? dflt : String(u[k])));
  await db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO units (unit_id, pricing_model, unit, waba_id, phone_number_id, recipient_wa_id, category,
                          opened_at, is_template, in_csw, in_fep, market, rate_in, cost_in, ingested_at)
       SELECT unnest($id), unnest($model), CASE WHEN unnest($model) = 'PMP' THEN 'message' ELSE 'conversation' END,
              unnest($waba), unnest($phone), unnest($rcpt), unnest($cat), CAST(unnest($at) AS TIMESTAMPTZ),
              CAST(NULLIF(unnest($tpl), '') AS BOOLEAN), CAST(NULLIF(unnest($csw), '') AS BOOLEAN),
              CAST(NULLIF(unnest($fep), '') AS BOOLEAN), NULLIF(unnest($market), ''),
              CAST(NULLIF(unnest($rate), '') AS DECIMAL(18, 6)), CAST(NULLIF(unnest($cost), '') AS DECIMAL(18, 6)),
              TIMESTAMPTZ '2026-01-01 00:00:00+00'`,
      {
        id: col('unit_id', ''),
        model: col('pricing_model', 'CBP'),
        waba: col('waba_id', ''),
        phone: col('phone_number_id', ''),
        rcpt: col('recipient', ''),
        cat: col('category', ''),
        at: col('opened_at', ''),
        tpl: col('is_template', ''),
        csw: col('in_csw', ''),
        fep: col('in_fep', ''),
        market: col('market', ''),
        rate: col('rate_in', ''),
        cost: col('cost_in', ''),
      },
    );
    await refreshDerived(tx, { pending: true, domain: systemDomain() });
  });
}

/** `n` units opened one second apart from `start` (UTC ISO), ids prefix-0001… */
export function series(n: number, start: string, make: (i: number, at: string) => TestUnit): TestUnit[] {
  const t0 = Date.parse(start);
  return Array.from({ length: n }, (_, i) => make(i, new Date(t0 + i * 1000).toISOString()));
}

/** The same units through POST /v1/ingest (NDJSON billing units, DOMAIN.md §9.2), as a partner would send them. */
export async function ingestUnits(h: Harness, token: string, units: readonly TestUnit[]): Promise<void> {
  const body =
    units
      .map((u) =>
        JSON.stringify({
          unit_id: u.unit_id,
          pricing_model: u.pricing_model ?? 'CBP',
          unit: (u.pricing_model ?? 'CBP') === 'PMP' ? 'message' : 'conversation',
          waba_id: u.waba_id,
          phone_number_id: u.phone_number_id,
          recipient_wa_id: u.recipient.replace(/\D/g, ''),
          category: u.category,
          opened_at: u.opened_at,
          status_final: 'delivered',
          ...(u.is_template === undefined ? {} : { is_template: u.is_template }),
          ...(u.in_csw === undefined ? {} : { in_csw: u.in_csw }),
          ...(u.in_fep === undefined ? {} : { in_fep: u.in_fep }),
          ...(u.category === 'referral_conversion' ? { billable_reported: false } : {}),
        }),
      )
      .join('\n') + '\n';
  const r = await h.json('POST', '/v1/ingest', {
    token,
    body,
    headers: { 'content-type': 'application/x-ndjson' },
  });
  if (r.status !== 200) throw new Error(`ingest failed: ${r.status} ${JSON.stringify(r.body)}`);
}
