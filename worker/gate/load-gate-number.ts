/**
 * The phone number a gate request acts on, checked through loadPhoneNumber (tenant isolation) and remembered
 * for a short while per (caller, number): the check costs two DuckDB reads, which would dominate a decision.
 * Only partner keys and admin reach this (requireManager), and a revoked key is refused by authenticate
 * before, so the remembered answer only saves repeating a check that already passed.
 */
import { loadPhoneNumber } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/db.js';
import { DEFAULT_PMP_FROM } from '../kernel/regime-calendar.js';
import type { GateNumber } from './authorize-message.js';

const TTL_MS = 30_000;

function callerKey(p: Principal): string {
  return p.kind === 'partner' ? `key:${p.keyId}` : p.kind;
}

/** The checked numbers per (caller, number), one cache per store (built by the host, app-services.ts). */
export class GateNumberCache {
  private readonly entries = new Map<string, { num: GateNumber; until: number }>();

  constructor(private readonly db: Db) {}

  /** The number with its WABA time zone and PMP start date; 404 for another tenant's number. */
  async load(p: Principal, phoneNumberId: string): Promise<GateNumber> {
    const key = `${callerKey(p)}\u0000${phoneNumberId}`;
    const hit = this.entries.get(key);
    const now = Date.now();
    if (hit && hit.until > now) return hit.num;
    const row = await loadPhoneNumber(this.db, p, phoneNumberId);
    const w = await this.db.all<{ pmp_from: string; currency: string }>(
      'SELECT pmp_from, currency FROM wabas WHERE waba_id = $w',
      {
        w: row.waba_id,
      },
    );
    const num: GateNumber = {
      phoneNumberId,
      timezone: row.timezone,
      pmpFrom: w[0]?.pmp_from ?? DEFAULT_PMP_FROM,
      currency: w[0]?.currency ?? '',
    };
    this.entries.set(key, { num, until: now + TTL_MS });
    return num;
  }
}
