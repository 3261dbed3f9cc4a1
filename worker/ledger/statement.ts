/**
 * The monthly statement of a number: opening balance, the movements of the month in the WABA time zone, and
 * the closing balance. A movement belongs to the month of its effective time (settled_at, else requested_at),
 * so opening + Σ settled movements listed = closing, and a top-up requested on the 31st that settles on the
 * 1st counts in the month it became available.
 */
import type { ColumnarResult, Queryable } from '../db/db.js';
import { isoMillis } from '../db/instant-text.js';

export interface Statement {
  readonly opening_balance: string;
  readonly closing_balance: string;
  readonly table: ColumnarResult;
}

export async function buildStatement(
  db: Queryable,
  phoneNumberId: string,
  month: string,
  timezone: string,
): Promise<Statement> {
  const params = { p: phoneNumberId, m: `${month}-01`, tz: timezone };
  const bounds = `timezone($tz, CAST($m::DATE AS TIMESTAMP)) AS start_ts,
                  timezone($tz, CAST($m::DATE + INTERVAL '1 month' AS TIMESTAMP)) AS end_ts`;
  const totals = await db.all<{ opening: string; closing: string }>(
    `WITH b AS (SELECT ${bounds})
     SELECT CAST(COALESCE(SUM(amount) FILTER (WHERE settled_at < b.start_ts), 0) AS DECIMAL(38, 6))::VARCHAR AS opening,
            CAST(COALESCE(SUM(amount) FILTER (WHERE settled_at < b.end_ts), 0) AS DECIMAL(38, 6))::VARCHAR AS closing
       FROM b, ledger_movements
      WHERE phone_number_id = $p AND status = 'settled' AND affects_balance`,
    params,
  );
  const opening = totals[0]?.opening ?? '0.000000';
  const table = await db.columns(
    `WITH b AS (SELECT ${bounds}),
     m AS (
       SELECT l.*, COALESCE(l.settled_at, l.requested_at) AS effective_at FROM ledger_movements l, b
        WHERE l.phone_number_id = $p
          AND COALESCE(l.settled_at, l.requested_at) >= b.start_ts AND COALESCE(l.settled_at, l.requested_at) < b.end_ts)
     SELECT movement_id, effective_at AS at, kind, status, currency,
            amount::VARCHAR AS amount,
            CAST(CASE WHEN status = 'settled' AND affects_balance THEN amount ELSE 0 END AS DECIMAL(18, 6))::VARCHAR
              AS balance_effect,
            CAST(CAST($opening AS DECIMAL(38, 6)) + SUM(CASE WHEN status = 'settled' AND affects_balance THEN amount ELSE 0 END)
              OVER (ORDER BY effective_at, seq ROWS UNBOUNDED PRECEDING) AS DECIMAL(38, 6))::VARCHAR AS running_balance,
            CAST(local_day AS VARCHAR) AS local_day, topup_id, ref, note
       FROM m ORDER BY effective_at, seq`,
    { ...params, opening },
  );
  return {
    opening_balance: opening,
    closing_balance: totals[0]?.closing ?? '0.000000',
    table: {
      ...table,
      types: table.types.map((t, i) => (table.names[i] === 'at' ? 'VARCHAR' : t)),
      rows: table.rows.map((r) => ({ ...r, at: isoMillis(r.at as string) })),
    },
  };
}
