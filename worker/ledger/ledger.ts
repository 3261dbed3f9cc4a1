/**
 * The one door into the balance ledger (DOMAIN.md §9.5): append-only movements; the balance is the sum of the
 * settled movements that affect it, and pending top-ups are reported apart (they never count as balance).
 * Every row is written here and nowhere else (a test holds every other module to it): a posting is checked
 * against its account first (movement.ts), usage charges are checked as a set, and a pending top-up's rows
 * resolve exactly once. Nothing here reacts to a change; whoever posts registers what follows the commit.
 */
import type { Queryable } from '../db/db.js';
import { LedgerRefusedError, LimitExceededError } from '../errors.js';
import { fromMicros, toMicros } from '../kernel/money.js';
import { MAX_MOVEMENT } from './limits.js';
import { checkMovement, type MovementInput } from './movement.js';

export type { MovementInput, MovementKind, MovementStatus } from './movement.js';

// Sums are DECIMAL(38,6): a sum of DECIMAL(18,6) rows may not fit DECIMAL(18,6) itself.
/** Settled balance as a decimal string ('0.000000' for a number without movements). */
export async function settledBalance(db: Queryable, phoneNumberId: string): Promise<string> {
  const rows = await db.all<{ b: string }>(
    `SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6))::VARCHAR AS b FROM ledger_movements
      WHERE phone_number_id = $p AND status = 'settled' AND affects_balance`,
    { p: phoneNumberId },
  );
  return rows[0]?.b ?? '0.000000';
}

/** Sum of the top-ups confirmed but not yet settled, as a decimal string. */
export async function pendingTopUps(db: Queryable, phoneNumberId: string): Promise<string> {
  const rows = await db.all<{ b: string }>(
    `SELECT CAST(COALESCE(SUM(amount), 0) AS DECIMAL(38, 6))::VARCHAR AS b FROM ledger_movements
      WHERE phone_number_id = $p AND status = 'pending' AND affects_balance AND kind LIKE 'topup_%'`,
    { p: phoneNumberId },
  );
  return rows[0]?.b ?? '0.000000';
}

/**
 * SQL: (phone_number_id, balance, pending) as DECIMAL(38,6) for the numbers of `phones` (a SELECT with a
 * phone_number_id column), every one of them, in one pass over their movements.
 */
export function balancesSql(phones: string): string {
  return `
    SELECT ph.phone_number_id,
           CAST(COALESCE(SUM(l.amount) FILTER (WHERE l.status = 'settled'), 0) AS DECIMAL(38, 6)) AS balance,
           CAST(COALESCE(SUM(l.amount) FILTER (WHERE l.status = 'pending' AND l.kind LIKE 'topup_%'), 0)
                AS DECIMAL(38, 6)) AS pending
      FROM (SELECT DISTINCT phone_number_id FROM (${phones}) x) ph
      LEFT JOIN ledger_movements l ON l.phone_number_id = ph.phone_number_id AND l.affects_balance
     GROUP BY ph.phone_number_id`;
}

/** 'positive' | 'zero' | 'negative' of a decimal string (sends are blocked at ≤ 0, DOMAIN.md §10.18). */
export function balanceState(balance: string): 'positive' | 'zero' | 'negative' {
  if (/^-/.test(balance) && /[1-9]/.test(balance)) return 'negative';
  return /[1-9]/.test(balance) ? 'positive' : 'zero';
}

/** The WABA currency (= balance currency) and time zone of a phone number. */
export async function phoneAccount(
  db: Queryable,
  phoneNumberId: string,
): Promise<{ currency: string; timezone: string; partner_id: string; waba_id: string } | null> {
  const rows = await db.all<{ currency: string; timezone: string; partner_id: string; waba_id: string }>(
    `SELECT w.currency, w.timezone, w.partner_id, w.waba_id FROM phone_numbers p JOIN wabas w USING (waba_id)
      WHERE p.phone_number_id = $p`,
    { p: phoneNumberId },
  );
  return rows[0] ?? null;
}

/**
 * Posts one movement and returns its id. Refused (LedgerRefusedError, LimitExceededError) when the number has no
 * account, the currency is not the account's, or the amount, sign or status does not fit its kind.
 */
export async function appendMovement(tx: Queryable, m: MovementInput): Promise<string> {
  const acct = await phoneAccount(tx, m.phone_number_id);
  if (!acct) {
    throw new LedgerRefusedError(`${m.phone_number_id} has no account to post to`, {
      phone_number_id: m.phone_number_id,
    });
  }
  checkMovement(m, acct.currency);
  const id = `mv_${crypto.randomUUID()}`;
  const settledAt = m.status === 'settled' ? (m.settled_at ?? m.requested_at) : null;
  await tx.run(
    `INSERT INTO ledger_movements (movement_id, seq, phone_number_id, kind, amount, affects_balance, currency,
        status, requested_at, available_at, settled_at, local_day, topup_id, ref, note)
     VALUES ($id, nextval('ledger_seq'), $p, $kind, CAST($amount AS DECIMAL(18, 6)), $affects, $cur, $status,
        $req::TIMESTAMPTZ, $avail::TIMESTAMPTZ, $settled::TIMESTAMPTZ, $day::DATE, $topup, $ref, $note)`,
    {
      id,
      p: m.phone_number_id,
      kind: m.kind,
      amount: m.amount,
      affects: m.kind !== 'fee',
      cur: m.currency,
      status: m.status,
      req: m.requested_at.toISOString(),
      avail: (m.available_at ?? settledAt)?.toISOString() ?? null,
      settled: settledAt?.toISOString() ?? null,
      day: m.local_day ?? null,
      topup: m.topup_id ?? null,
      ref: m.ref ?? null,
      note: m.note ?? null,
    },
  );
  return id;
}

/**
 * Settles or fails the pending rows of a top-up (its amount and its fee), once: a top-up without pending rows
 * is refused, so a payment can never be counted twice.
 */
export async function resolveTopUpMovements(
  tx: Queryable,
  topupId: string,
  outcome: 'settled' | 'failed',
  now: Date,
): Promise<void> {
  const changed = await tx.all<{ movement_id: string }>(
    `UPDATE ledger_movements SET status = $s,
        settled_at = CASE WHEN $s = 'settled' THEN $now::TIMESTAMPTZ END,
        available_at = CASE WHEN $s = 'settled' THEN $now::TIMESTAMPTZ ELSE available_at END
      WHERE topup_id = $id AND status = 'pending'
      RETURNING movement_id`,
    { id: topupId, s: outcome, now: now.toISOString() },
  );
  if (changed.length === 0) {
    throw new LedgerRefusedError(`top-up ${topupId} has no pending movements to resolve`, {
      topup_id: topupId,
    });
  }
}

/**
 * Dates a number's usage charges to the end of the WABA-local day they cover (seeded demo history, whose
 * charges were posted today for days long past), so statements show them in their own month.
 */
export async function dateChargesToTheirDay(
  tx: Queryable,
  phoneNumberId: string,
  timezone: string,
): Promise<void> {
  await tx.run(
    `UPDATE ledger_movements SET
        requested_at = timezone($tz, CAST(local_day AS TIMESTAMP) + INTERVAL '23 hours 59 minutes'),
        available_at = timezone($tz, CAST(local_day AS TIMESTAMP) + INTERVAL '23 hours 59 minutes'),
        settled_at = timezone($tz, CAST(local_day AS TIMESTAMP) + INTERVAL '23 hours 59 minutes')
      WHERE phone_number_id = $p AND kind = 'charge' AND local_day IS NOT NULL`,
    { p: phoneNumberId, tz: timezone },
  );
}

/** A day's usage still to post: `diff` = what is owed beyond what the ledger holds, `n` = rows already posted. */
export interface UsageDiff {
  readonly phone_number_id: string;
  readonly local_day: string;
  /** Micro-units; positive = a debit still due. */
  readonly diff: bigint;
  readonly n: number;
}

const byNumberAndDay = (a: UsageDiff, b: UsageDiff) =>
  a.phone_number_id.localeCompare(b.phone_number_id) || a.local_day.localeCompare(b.local_day);

/** Refuses the set when one of its rows could not be posted: a first posting that would credit, or a row beyond the limit. */
export function checkUsageDiffs(diffs: readonly UsageDiff[]): void {
  const max = toMicros(MAX_MOVEMENT);
  const b = [...diffs]
    .sort(byNumberAndDay)
    .find((d) => (d.n === 0 && d.diff <= 0n) || (d.diff < 0n ? -d.diff : d.diff) > max);
  if (b && b.n === 0 && b.diff <= 0n) {
    throw new LedgerRefusedError(`a usage charge would credit ${b.phone_number_id} on ${b.local_day}`, {
      phone_number_id: b.phone_number_id,
      local_day: b.local_day,
    });
  }
  if (b) {
    throw new LimitExceededError(
      `The usage charges of ${b.phone_number_id} on ${b.local_day} (${fromMicros(b.diff)}) are beyond the ledger's limit of ${MAX_MOVEMENT} per day.`,
      { phone_number_id: b.phone_number_id, local_day: b.local_day, limit: MAX_MOVEMENT },
    );
  }
}

/**
 * Posts usage differences: a first posting as `charge`, later ones as `adjustment`, in the account's currency.
 * Refused as a set before anything is written (checkUsageDiffs).
 */
export async function postUsageDiffs(tx: Queryable, diffs: readonly UsageDiff[], now: Date): Promise<void> {
  checkUsageDiffs(diffs);
  const sorted = [...diffs].sort(byNumberAndDay);
  if (sorted.length === 0) return;
  // One statement for the whole set; the lists are zipped back into rows (one unnest per list, same length).
  await tx.run(
    `INSERT INTO ledger_movements (movement_id, seq, phone_number_id, kind, amount, affects_balance, currency,
        status, requested_at, available_at, settled_at, local_day, topup_id, ref, note)
     SELECT r.movement_id, nextval('ledger_seq'), r.phone_number_id, r.kind, r.amount, true, r.currency,
            'settled', $now::TIMESTAMPTZ, $now::TIMESTAMPTZ, $now::TIMESTAMPTZ, r.local_day, NULL, r.ref, r.note
       -- Numbered over the sorted rows (a sequence drawn in the sorting SELECT itself is drawn before the sort
       -- on DuckDB), so the append order is (number, day) on every store.
       FROM (SELECT d.movement_id, d.phone_number_id, d.kind, CAST(d.amount AS DECIMAL(18, 6)) AS amount,
                    COALESCE(w.currency, 'USD') AS currency, CAST(d.local_day AS DATE) AS local_day,
                    'usage:' || d.local_day AS ref, d.note
               FROM (SELECT unnest($ids::VARCHAR[]) AS movement_id, unnest($phones::VARCHAR[]) AS phone_number_id,
                            unnest($days::VARCHAR[]) AS local_day, unnest($kinds::VARCHAR[]) AS kind,
                            unnest($amounts::VARCHAR[]) AS amount, unnest($notes::VARCHAR[]) AS note) d
               LEFT JOIN phone_numbers p ON p.phone_number_id = d.phone_number_id
               LEFT JOIN wabas w ON w.waba_id = p.waba_id
              ORDER BY d.phone_number_id, d.local_day) r`,
    {
      now: now.toISOString(),
      ids: sorted.map(() => `mv_${crypto.randomUUID()}`),
      phones: sorted.map((d) => d.phone_number_id),
      days: sorted.map((d) => d.local_day),
      kinds: sorted.map((d) => (d.n === 0 ? 'charge' : 'adjustment')),
      amounts: sorted.map((d) => fromMicros(-d.diff)),
      notes: sorted.map((d) => (d.n === 0 ? 'usage charges of the day' : 'late usage or re-pricing')),
    },
  );
}
