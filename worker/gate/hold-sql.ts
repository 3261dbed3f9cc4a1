/**
 * Balance holds on the money plane (tables gate_holds, gate_hold_locks, gate_usage_marks): the statements every
 * store runs with one text. A hold is part of a number's settled balance reserved by one process for its paid
 * sends; what the balance leaves free for a new hold is
 *
 *   settled balance − Σ counted holds,
 *
 * where a hold counts its whole amount while its lease runs (its holder may spend any of it without asking), and
 * afterwards only its spent part, until the ledger has posted the usage of those sends (the number's usage mark
 * has reached the hold's last decision) or the backstop has passed. A hold whose spent part is not known to be
 * complete (its holder died between two records) counts wholly, its decisions bounded by its expiry.
 * Reservation and spend records take the number's lock row first: on Postgres concurrent ones queue on it and
 * SERIALIZABLE runs the later one again on the new state, so no two processes reserve the same balance.
 */
import type { Queryable } from '../db/db.js';
import { fromMicros as micros, toMicros } from '../kernel/money.js';

/** One hold as its holder knows it. */
export interface HoldRow {
  readonly holdId: string;
  readonly phoneNumberId: string;
  readonly amount: bigint;
  readonly expiresMs: number;
}

/** The hold's spent part as its holder last knew it. */
export interface HoldSpend {
  readonly holdId: string;
  readonly used: bigint;
  readonly lastMs: number;
}

/** How much of a number's balance is free for a new hold, and how many other processes hold part of it. */
export interface FreeBalance {
  readonly settled: bigint;
  readonly held: bigint;
  readonly free: bigint;
  readonly otherHolders: number;
}

/** SQL: the part of hold `h` (joined to its number's usage mark `m`) still counted against the balance. */
const COUNTED = `CASE
    WHEN NOT h.closed AND h.expires_ms > CAST($now AS BIGINT) THEN h.amount
    WHEN (CASE WHEN h.exact THEN h.last_ms ELSE h.expires_ms END) + CAST($backstop AS BIGINT) <= CAST($now AS BIGINT)
      THEN 0
    WHEN COALESCE(m.posted_through_ms, -1) >= (CASE WHEN h.exact THEN h.last_ms ELSE h.expires_ms END) THEN 0
    WHEN h.exact THEN h.used
    ELSE h.amount END`;

const FREE_SQL = `
  SELECT CAST((SELECT COALESCE(SUM(amount), 0) FROM ledger_movements
                WHERE phone_number_id = $p AND status = 'settled' AND affects_balance) AS DECIMAL(38, 6))::VARCHAR
           AS settled,
         CAST((SELECT COALESCE(SUM(${COUNTED}), 0)
                 FROM gate_holds h LEFT JOIN gate_usage_marks m ON m.phone_number_id = h.phone_number_id
                WHERE h.phone_number_id = $p) AS DECIMAL(38, 6))::VARCHAR AS held,
         (SELECT count(DISTINCT holder) FROM gate_holds
           WHERE phone_number_id = $p AND NOT closed AND expires_ms > CAST($now AS BIGINT)
             AND holder <> $holder)::INTEGER AS others`;

/** Settled balance, counted holds and the other live holders of one number at `nowMs`. */
export async function freeBalance(
  q: Queryable,
  phoneNumberId: string,
  holder: string,
  nowMs: number,
  backstopMs: number,
): Promise<FreeBalance> {
  const [r] = await q.all<{ settled: string; held: string; others: number }>(FREE_SQL, {
    p: phoneNumberId,
    holder,
    now: nowMs,
    backstop: backstopMs,
  });
  const settled = toMicros(r?.settled ?? '0');
  const held = toMicros(r?.held ?? '0');
  return { settled, held, free: settled - held, otherHolders: Number(r?.others ?? 0) };
}

/** Takes the number's lock row for the rest of the transaction (made on first use). */
export async function lockNumberHolds(tx: Queryable, phoneNumberId: string): Promise<void> {
  await tx.run(
    `INSERT INTO gate_hold_locks (phone_number_id, version) VALUES ($p, 1)
     ON CONFLICT (phone_number_id) DO UPDATE SET version = gate_hold_locks.version + 1`,
    { p: phoneNumberId },
  );
}

/** Records what a hold has spent so far; false when the hold has expired or was closed (nothing written). */
export async function recordHoldSpend(tx: Queryable, spend: HoldSpend, nowMs: number): Promise<boolean> {
  const rows = await tx.all<{ hold_id: string }>(
    `UPDATE gate_holds SET used = CAST($used AS DECIMAL(18, 6)), last_ms = CAST($last AS BIGINT)
      WHERE hold_id = $id AND NOT closed AND expires_ms > CAST($now AS BIGINT) AND amount >= CAST($used AS DECIMAL(18, 6))
      RETURNING hold_id`,
    { id: spend.holdId, used: micros(spend.used), last: spend.lastMs, now: nowMs },
  );
  return rows.length > 0;
}

/**
 * Gives a hold's unused part back: its spent part is final and complete from now on. A hold already expired
 * keeps the larger of the two spent parts (never less than recorded while it ran).
 */
export async function closeHold(tx: Queryable, spend: HoldSpend): Promise<void> {
  await tx.run(
    `UPDATE gate_holds SET used = GREATEST(used, CAST($used AS DECIMAL(18, 6))), last_ms = GREATEST(last_ms, CAST($last AS BIGINT)),
            exact = true, closed = true
      WHERE hold_id = $id AND NOT closed`,
    { id: spend.holdId, used: micros(spend.used), last: spend.lastMs },
  );
}

/** Inserts a hold of `amount` for `holder` until `expiresMs`; `exact` when every spend is recorded before use. */
export async function insertHold(
  tx: Queryable,
  hold: HoldRow,
  holder: string,
  nowMs: number,
  exact: boolean,
): Promise<void> {
  await tx.run(
    `INSERT INTO gate_holds (hold_id, phone_number_id, holder, amount, used, exact, closed, created_ms, expires_ms,
                             last_ms)
     VALUES ($id, $p, $holder, CAST($amount AS DECIMAL(18, 6)), 0, $exact, false, CAST($now AS BIGINT),
             CAST($expires AS BIGINT), CAST($now AS BIGINT))`,
    {
      id: hold.holdId,
      p: hold.phoneNumberId,
      holder,
      amount: micros(hold.amount),
      exact,
      now: nowMs,
      expires: hold.expiresMs,
    },
  );
}

/** Deletes the number's holds that no longer count at all (their spent part posted, or past the backstop). */
export async function dropSpentHolds(
  tx: Queryable,
  phoneNumberId: string,
  nowMs: number,
  backstopMs: number,
): Promise<void> {
  await tx.run(
    `DELETE FROM gate_holds WHERE hold_id IN (
       SELECT h.hold_id FROM gate_holds h LEFT JOIN gate_usage_marks m ON m.phone_number_id = h.phone_number_id
        WHERE h.phone_number_id = $p AND (h.closed OR h.expires_ms <= CAST($now AS BIGINT)) AND ${COUNTED} = 0)`,
    { p: phoneNumberId, now: nowMs, backstop: backstopMs },
  );
}
