/**
 * Tenant isolation in one place: every lookup of a WABA or phone number goes through here, and anything the
 * caller may not see answers 404 (not 403), so ids of other partners cannot be probed. Callers pass the money
 * plane (`deps.money`), where the tenancy's truth is: the analytics mirror may lag it after a crash.
 */
import type { Queryable } from '../db/db.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Principal, Scope } from './principal.js';

export interface WabaRow {
  readonly waba_id: string;
  readonly partner_id: string;
  readonly name: string;
  readonly timezone: string;
  readonly currency: string;
  readonly pmp_from: string;
  /** The business portfolio whose WABAs share volume tiers; null = the WABA alone. */
  readonly portfolio_id: string | null;
}

export interface PhoneNumberRow {
  readonly phone_number_id: string;
  readonly waba_id: string;
  readonly display_phone_number: string | null;
  readonly label: string | null;
  readonly partner_id: string;
  readonly timezone: string;
  readonly currency: string;
}

/** Throws 403 when an embed token lacks the scope; API keys and admin hold every scope. */
export function requireScope(p: Principal, scope: Scope): void {
  if (p.kind === 'embed' && !p.scopes.includes(scope)) {
    throw new ForbiddenError(`This token lacks the "${scope}" scope.`);
  }
}

/** Throws 403 unless the caller is a partner key or admin (embed tokens cannot manage resources). */
export function requireManager(p: Principal): void {
  if (p.kind === 'embed') throw new ForbiddenError('Embed tokens cannot manage resources.');
}

export function requireAdmin(p: Principal): void {
  if (p.kind !== 'admin') throw new ForbiddenError('Only the admin token may do this.');
}

/** The partner a request acts for; admin must name one. */
export function partnerOf(p: Principal): string | null {
  return p.kind === 'admin' ? null : p.partnerId;
}

export async function loadWaba(db: Queryable, p: Principal, wabaId: string): Promise<WabaRow> {
  const rows = await db.all<WabaRow>(
    `SELECT waba_id, partner_id, name, timezone, currency, pmp_from,
            portfolio_id
       FROM wabas WHERE waba_id = $id`,
    { id: wabaId },
  );
  const w = rows[0];
  if (!w || (p.kind !== 'admin' && w.partner_id !== p.partnerId)) throw new NotFoundError(`WABA ${wabaId}`);
  if (p.kind === 'embed') {
    const n = await db.all(
      'SELECT 1 FROM phone_numbers WHERE waba_id = $w AND phone_number_id = ANY($ids::VARCHAR[])',
      {
        w: wabaId,
        ids: [...p.phoneNumberIds],
      },
    );
    if (n.length === 0) throw new NotFoundError(`WABA ${wabaId}`);
  }
  return w;
}

const PHONE_SELECT = `
  SELECT p.phone_number_id, p.waba_id, p.display_phone_number, p.label, w.partner_id, w.timezone, w.currency
    FROM phone_numbers p JOIN wabas w USING (waba_id)`;

export async function loadPhoneNumber(
  db: Queryable,
  p: Principal,
  phoneNumberId: string,
): Promise<PhoneNumberRow> {
  const rows = await db.all<PhoneNumberRow>(`${PHONE_SELECT} WHERE p.phone_number_id = $id`, {
    id: phoneNumberId,
  });
  const row = rows[0];
  if (!row || !canSeePhone(p, row)) throw new NotFoundError(`Phone number ${phoneNumberId}`);
  return row;
}

function canSeePhone(p: Principal, row: PhoneNumberRow): boolean {
  if (p.kind === 'admin') return true;
  if (row.partner_id !== p.partnerId) return false;
  return p.kind === 'partner' || p.phoneNumberIds.includes(row.phone_number_id);
}

export interface PhoneFilter {
  readonly wabaId?: string | undefined;
  readonly phoneNumberIds?: readonly string[] | undefined;
}

/**
 * The phone numbers a query may cover. Named ids the caller cannot see answer 404; with no ids, every visible
 * number (of the WABA, when one is named).
 */
export async function visiblePhoneNumbers(
  db: Queryable,
  p: Principal,
  f: PhoneFilter,
): Promise<PhoneNumberRow[]> {
  if (f.wabaId) await loadWaba(db, p, f.wabaId);
  if (f.phoneNumberIds && f.phoneNumberIds.length > 0) {
    const rows: PhoneNumberRow[] = [];
    for (const id of new Set(f.phoneNumberIds)) {
      const row = await loadPhoneNumber(db, p, id);
      if (f.wabaId && row.waba_id !== f.wabaId) throw new NotFoundError(`Phone number ${id}`);
      rows.push(row);
    }
    return rows;
  }
  const all = await db.all<PhoneNumberRow>(
    `${PHONE_SELECT} WHERE ($partner::VARCHAR IS NULL OR w.partner_id = $partner) AND ($waba::VARCHAR IS NULL OR p.waba_id = $waba)
      ORDER BY p.phone_number_id`,
    { partner: p.kind === 'admin' ? null : p.partnerId, waba: f.wabaId ?? null },
  );
  return p.kind === 'embed' ? all.filter((r) => p.phoneNumberIds.includes(r.phone_number_id)) : all;
}
