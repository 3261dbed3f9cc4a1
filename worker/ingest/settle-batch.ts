/**
 * Settles a landed batch (its rows carry batch_seq), in the transaction after the one that landed it:
 * 1. a number new to the store must appear under one WABA only (else the batch goes to the full validation);
 * 2. numbers new to the store are registered;
 * 3. a unit_id repeated inside the batch keeps its last record (highest rowid = latest line);
 * 4. a unit_id the store already had: an identical record is a duplicate (the new row goes), a changed one
 *    replaces the old row (a late event or a correction), whose month is recomputed even if the unit left it —
 *    unless both carry the source's ingested_at and the new one is older: a stale replay, kept out;
 * 5. the recipient's number decides the market: records that named another one are counted (the landing
 *    corrected and priced them; with a market table too large for its lookup, they are corrected and priced again
 *    here);
 * 6. the recompute of the months the batch touched (billing/recompute.ts): free-allowance ranking, pricing of
 *    records that came without market or country (their numbers are looked up), volume tiers (with the same
 *    months of the other WABAs of a business portfolio), rollups, unpriced_units alerts, ledger, effects.
 */
import type { Db, Queryable, SqlParams } from '../db/db.js';
import type { Recompute, RecomputeStep } from '../usage/recompute-plan.js';
import type { WabaMonth } from '../kernel/waba-month.js';
import { normalizeScope } from '../kernel/waba-month.js';
import { changedSql, refuseForeignUnits } from './known-units.js';
import { registerPhones } from './register-phones.js';
import { settleMarkets } from './settle-markets.js';

/** Thrown when a check needs the whole batch and fails; the caller discards the batch and names the issues. */
export class BatchNeedsValidation extends Error {
  constructor() {
    super('a number appears under more than one WABA in this batch');
    this.name = 'BatchNeedsValidation';
  }
}

export type SettleStep = 'duplicates' | 'markets' | 'free tier' | 'volume tiers' | 'rollups' | 'ledger';

export interface SettleInput {
  readonly seq: number;
  /** Whether the landing checked the batch's markets against its numbers (land-markets.ts). */
  readonly marketsChecked: boolean;
  /** The calling partner; null = admin. A partner's batch may not touch units of other partners' WABAs. */
  readonly partnerId: string | null;
  readonly now: Date;
  /** The whole-month recompute (billing/recompute.ts), run on the months the batch touched. */
  readonly recompute: Recompute;
  /**
   * The money plane, when it is a store of its own: the numbers this ingest registers are registered there too,
   * once the analytics transaction commits (before the batch's charges are posted).
   */
  readonly money?: Db;
  /** Timing hook (benchmarks): called after each step with its wall time in ms. */
  readonly onStep?: (step: SettleStep, ms: number) => void;
}

export interface Settled {
  /** New unit_ids. */
  readonly inserted: number;
  readonly updated: number;
  /** Changed records older (by their ingested_at) than the stored unit: kept out, counted with duplicates. */
  readonly stale: number;
  /** Records replaced by a later line of the same batch. */
  readonly superseded: number;
  readonly registered: number;
  /** Records whose market disagreed with the one of their recipient's number (corrected). */
  readonly marketMismatch: number;
  /** The WABA months recomputed. */
  readonly scope: WabaMonth[];
}

// The landing may have corrected the new row's market already: it is compared as the record had it.
const CHANGED = changedSql('n', 'o', { freshCorrected: true });

const one = async (tx: Queryable, sql: string, params: SqlParams): Promise<number> =>
  Number((await tx.all<{ n: number }>(sql, params))[0]?.n ?? 0);

/** Rows of numbers the store does not know yet (their registration comes first in settleBatch). */
const NEW_NUMBER = 'NOT EXISTS (SELECT 1 FROM phone_numbers p WHERE p.phone_number_id = u.phone_number_id)';

export async function settleBatch(tx: Queryable, input: SettleInput): Promise<Settled> {
  const seq = { seq: input.seq };
  let t = Date.now();
  const step = (name: SettleStep) => {
    const now = Date.now();
    input.onStep?.(name, now - t);
    t = now;
  };
  // 1–2. New numbers: one WABA each (a known number under another WABA was refused while landing), registered.
  const [news] = await tx.all<{ numbers: number; multi: number }>(
    `SELECT count(*)::INTEGER AS numbers, count(*) FILTER (WHERE wabas > 1)::INTEGER AS multi FROM (
       SELECT phone_number_id, count(DISTINCT waba_id) AS wabas FROM units u
        WHERE batch_seq = $seq AND ${NEW_NUMBER} GROUP BY 1)`,
    seq,
  );
  if ((news?.multi ?? 0) > 0) throw new BatchNeedsValidation();
  // display_phone_number is kept on the rows of numbers unknown when the batch landed. A batch of known numbers
  // only (the usual one) is not read again for them.
  const registered =
    (news?.numbers ?? 0) > 0
      ? await registerPhones(
          tx,
          '(SELECT phone_number_id, waba_id, display_phone_number FROM units WHERE batch_seq = $seq)',
          input.now,
          seq,
          input.money,
        )
      : 0;

  // 3. Repeats inside the batch: the last line wins. Repeats are first found by the hash of unit_id (grouping a
  // million 64-bit keys costs a fraction of grouping the texts); the window then decides on unit_id itself, so a
  // collision of two ids only brings a few more rows to it.
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE settle_superseded AS
     SELECT rowid AS rid FROM units
      WHERE batch_seq = $seq
        AND hash(unit_id) IN (SELECT hash(unit_id) FROM units WHERE batch_seq = $seq GROUP BY 1 HAVING count(*) > 1)
     QUALIFY row_number() OVER (PARTITION BY unit_id ORDER BY rowid DESC) > 1`,
    seq,
  );
  const superseded = await one(tx, 'SELECT count(*)::INTEGER AS n FROM settle_superseded', {});
  if (superseded > 0) await tx.run('DELETE FROM units WHERE rowid IN (SELECT rid FROM settle_superseded)');
  await tx.run('DROP TABLE settle_superseded');

  // 4. Units the store already had. Skipped outright when every unit is from this batch (a first load).
  let updated = 0;
  let stale = 0;
  let oldMonths: WabaMonth[] = [];
  const others = await tx.all(
    'SELECT 1 FROM units WHERE batch_seq IS NULL OR batch_seq <> $seq LIMIT 1',
    seq,
  );
  if (others.length > 0) {
    await tx.run(
      `CREATE OR REPLACE TEMP TABLE settle_matches AS
       SELECT n.rowid AS new_rid, o.rowid AS old_rid, o.waba_id AS old_waba, o.local_month AS old_month,
              (${CHANGED}) AND NOT COALESCE(n.reported_at < o.reported_at, false) AS changed,
              (${CHANGED}) AND COALESCE(n.reported_at < o.reported_at, false) AS stale
         FROM units n JOIN units o ON o.unit_id = n.unit_id
        WHERE n.batch_seq = $seq AND (o.batch_seq IS NULL OR o.batch_seq <> $seq)`,
      seq,
    );
    const [m] = await tx.all<{ upd: number; dup: number; stale: number }>(
      `SELECT count(*) FILTER (WHERE changed)::INTEGER AS upd, count(*) FILTER (WHERE NOT changed)::INTEGER AS dup,
              count(*) FILTER (WHERE stale)::INTEGER AS stale
         FROM settle_matches`,
    );
    updated = m?.upd ?? 0;
    stale = m?.stale ?? 0;
    const duplicates = m?.dup ?? 0;
    await refuseForeignUnits(
      tx,
      'SELECT o.unit_id, o.waba_id FROM settle_matches m JOIN units o ON o.rowid = m.old_rid',
      input.partnerId,
    );
    if (updated + duplicates > 0) {
      oldMonths = await tx.all<WabaMonth>(
        `SELECT DISTINCT old_waba AS waba_id, strftime(old_month, '%Y-%m-%d') AS month
           FROM settle_matches WHERE changed AND old_month IS NOT NULL`,
      );
      await tx.run(
        `DELETE FROM units WHERE rowid IN (
           SELECT old_rid FROM settle_matches WHERE changed
           UNION ALL SELECT new_rid FROM settle_matches WHERE NOT changed)`,
      );
    }
    await tx.run('DROP TABLE settle_matches');
  }
  // The batch's months, its rows and its records without market or country, in one read of the batch.
  const months = await tx.all<WabaMonth & { n: number; unmarked: boolean; corrected: number }>(
    `SELECT waba_id, strftime(local_month, '%Y-%m-%d') AS month, n, unmarked, corrected FROM (
       SELECT waba_id, local_month, count(*)::INTEGER AS n,
              bool_or(market IS NULL OR recipient_country IS NULL) AS unmarked,
              count(market_reported)::INTEGER AS corrected
         FROM units WHERE batch_seq = $seq GROUP BY ALL)`,
    seq,
  );
  const landed: WabaMonth[] = months.map((m) => ({ waba_id: m.waba_id, month: m.month }));
  const inserted = months.reduce((sum, m) => sum + m.n, 0) - updated;
  step('duplicates');

  // Records without market or country were landed unpriced by market: their months go through pricing,
  // which looks the numbers up (and, like units freed from the free tier, writes only what changes).
  const unmarked: WabaMonth[] = landed.filter((_, i) => months[i]?.unmarked);
  // 5. Markets from the numbers: corrected while landing, or here.
  const mismatched = input.marketsChecked
    ? months.reduce((sum, m) => sum + m.corrected, 0)
    : (await settleMarkets(tx, input.seq)).mismatched;
  step('markets');

  // 6. Whole months: the recompute (free tier, pricing, volume tiers, rollups, ledger) in its one order.
  const scope = normalizeScope([...landed, ...oldMonths]);
  const tail = { inserted, updated, stale, superseded, registered, marketMismatch: mismatched };
  if (scope.length === 0) return { ...tail, scope };
  const onStep = input.onStep;
  const priced = await input.recompute(tx, {
    scope,
    mode: 'settled',
    unmarked,
    ...(onStep ? { onStep: (s: RecomputeStep, ms: number) => reportStep(onStep, s, ms) } : {}),
  });
  return { ...tail, scope: priced };
}

const STEP_NAMES: Record<RecomputeStep, SettleStep | null> = {
  bucket: null, // a landed batch is bucketed while landing
  classify: 'free tier',
  price: 'volume tiers',
  rollups: 'rollups',
  ledger: 'ledger',
};

function reportStep(onStep: (step: SettleStep, ms: number) => void, s: RecomputeStep, ms: number): void {
  const name = STEP_NAMES[s];
  if (name) onStep(name, ms);
}
