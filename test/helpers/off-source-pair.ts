/**
 * Two apps on one money plane (PGlite in memory), each with its own in-memory DuckDB analytics, as two replicas:
 * `source` is the usage source and takes the ingest, `replica` holds no units and answers from its copy of what
 * the source published. One partner, one WABA (Europe/Berlin, EUR) with two numbers, and `units` units spread
 * 8 h apart over the weeks before `now`, ingested through the source; the replica's tenancy mirror is caught up
 * (a real replica does it every 2 s). With `lakeDir`, each writes its lake exports under <lakeDir>/source or
 * <lakeDir>/replica.
 */
import { appendMovement } from '../../worker/ledger/ledger.js';
import { claimUsageSource } from '../../worker/ledger/usage-source.js';
import { refreshTenancyMirror } from '../../worker/tenancy/refresh-tenancy-mirror.js';
import { createHarness, type Harness } from './harness.js';

export interface OffSourcePair {
  readonly source: Harness;
  readonly replica: Harness;
  /** The partner's API key. */
  readonly key: string;
  readonly waba: string;
  /** The WABA's numbers: a busy priced one and a quieter one. */
  readonly phones: readonly [string, string];
  close(): Promise<void>;
}

const HEADER =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,recipient_wa_id,category,opened_at,is_template,rate';

/** `count` units of the pair's WABA from `first` on, 8 h apart back from `end`: marketing, utility, service. */
export function pairUnitsCsv(waba: string, end: string, count: number, first = 0): string {
  const lines = Array.from({ length: count }, (_, k) => {
    const i = first + k;
    const at = new Date(Date.parse(end) - (i + 1) * 8 * 3_600_000).toISOString();
    const [phone, category, rate] =
      i % 4 === 3
        ? ['E2', 'utility', '']
        : i % 4 === 2
          ? ['E1', 'service', '']
          : ['E1', 'marketing', '0.0913'];
    const template = category === 'service' ? 'false' : 'true';
    return `${waba}-${i},PMP,message,${waba},${waba}-${phone},49151${String(i).padStart(7, '0')},${category},${at},${template},${rate}`;
  });
  return [HEADER, ...lines].join('\n') + '\n';
}

export async function offSourcePair(opts: {
  readonly waba: string;
  readonly now: string;
  readonly units: number;
  /** A folder for the lake exports: each app writes under <lakeDir>/<its role>. */
  readonly lakeDir?: string;
  /** A settled one-time top-up of the first number after the ingest: it starts the account, so charges post. */
  readonly firstTopUp?: { readonly amount: string; readonly at: string };
}): Promise<OffSourcePair> {
  const env = (id: string) => ({
    STORE: 'pglite',
    REPLICA_ID: id,
    ...(opts.lakeDir ? { LAKE_DIR: `${opts.lakeDir}/${id.split('-').pop()}` } : {}),
  });
  const source = await createHarness({ env: env(`${opts.waba}-source`), now: opts.now });
  const open = [source];
  try {
    await claimUsageSource(source, `${opts.waba}-source`, source.clock.now(), true);
    const replica = await createHarness({
      env: env(`${opts.waba}-replica`),
      now: opts.now,
      money: source.money,
    });
    open.unshift(replica);
    const key = await source.partner(`p-${opts.waba}`);
    const phones = [`${opts.waba}-E1`, `${opts.waba}-E2`] as const;
    await source.waba(key, { waba_id: opts.waba, timezone: 'Europe/Berlin', currency: 'EUR' }, [...phones]);
    const r = await source.json('POST', '/v1/ingest', {
      token: key,
      body: pairUnitsCsv(opts.waba, opts.now, opts.units),
      headers: { 'content-type': 'text/csv' },
    });
    if (r.status !== 200) throw new Error(`ingest: ${r.status} ${JSON.stringify(r.body)}`);
    if (opts.firstTopUp)
      await appendMovement(source.money, {
        phone_number_id: phones[0],
        kind: 'topup_one_time',
        amount: opts.firstTopUp.amount,
        currency: 'EUR',
        status: 'settled',
        requested_at: new Date(opts.firstTopUp.at),
      });
    await refreshTenancyMirror(replica.money, replica.db);
    return {
      source,
      replica,
      key,
      waba: opts.waba,
      phones,
      close: async () => {
        for (const h of open) await h.close();
      },
    };
  } catch (err) {
    for (const h of open) await h.close();
    throw err;
  }
}
