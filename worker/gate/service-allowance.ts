/**
 * R5's free service allowance as the gate sees it: how many service messages a number has used in its current
 * local month — the delivered ones already ingested, plus the ones this process has authorized since it last
 * read them (ingest lags the sends). The count is read once per number and month and again after `ttlMs`, so
 * a decision never waits on DuckDB for it in between. After a re-read the authorized count restarts: sends
 * authorized but not yet ingested are then briefly forgotten, which can only make the gate call a service
 * message free that the ingest will later price (the same late-charge slack as the cached balance).
 */
import type { Db } from '../db/db.js';
import { allowanceOf } from '../kernel/regime-calendar.js';

interface Entry {
  readonly month: string;
  readonly base: number;
  authorized: number;
  readonly readAt: number;
}

const R5 = allowanceOf('R5');

async function readUsed(db: Db, phoneNumberId: string, month: string): Promise<number> {
  const [r] = await db.all<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM units
      WHERE phone_number_id = $p AND local_month = CAST($m AS DATE) AND regime = 'R5' AND is_counted
        AND pricing_type IN ('free_tier', 'regular') AND list_contains($cats, CAST(category AS VARCHAR))`,
    { p: phoneNumberId, m: month, cats: [...(R5?.categories ?? ['service'])] },
  );
  return r?.n ?? 0;
}

/** The service messages counted per number, one cache per store (built by the host, app-services.ts). */
export class ServiceAllowanceCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly db: Db) {}

  /** Whether the number has free service messages left in `month` ('YYYY-MM-01', its WABA's local month). */
  async left(phoneNumberId: string, month: string, nowMs: number, ttlMs: number): Promise<boolean> {
    if (!R5) return false;
    let e = this.entries.get(phoneNumberId);
    if (!e || e.month !== month || nowMs - e.readAt > ttlMs) {
      e = { month, base: await readUsed(this.db, phoneNumberId, month), authorized: 0, readAt: nowMs };
      this.entries.set(phoneNumberId, e);
    }
    return e.base + e.authorized < R5.units;
  }

  /** Counts one authorized (not dry-run) service message against the number's allowance. */
  noteAuthorized(phoneNumberId: string, month: string): void {
    const e = this.entries.get(phoneNumberId);
    if (e && e.month === month) e.authorized++;
  }
}
