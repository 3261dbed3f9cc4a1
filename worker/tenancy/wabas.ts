/** WABAs (id, name, IANA time zone, currency) and their phone numbers. */
import type { Queryable, SqlParams } from '../db/db.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { DEFAULT_PMP_FROM } from '../kernel/regime-calendar.js';
import type { PhoneNumberRow, WabaRow } from '../auth/access.js';

export interface WabaInput {
  readonly waba_id: string;
  readonly name: string;
  readonly timezone: string;
  readonly currency: string;
  readonly pmp_from?: string | undefined;
  readonly portfolio_id?: string | null | undefined;
}

/**
 * Inserts a row keyed by a globally unique id. Two requests creating the same id both pass the existence check;
 * the second insert then violates the key and is answered like the check (409), never as a 500. The answer is
 * the same whoever holds the id, so it tells a caller nothing about other tenants beyond "taken".
 */
async function insertOnce(
  db: Queryable,
  sql: string,
  params: SqlParams,
  taken: () => ConflictError,
): Promise<void> {
  try {
    await db.run(sql, params);
  } catch (err) {
    if (err instanceof Error && /Duplicate key|violates primary key|PRIMARY KEY or UNIQUE/i.test(err.message))
      throw taken();
    throw err;
  }
}

const WABA_COLUMNS = `waba_id, partner_id, name, timezone, currency, pmp_from,
  portfolio_id`;

/**
 * A portfolio groups the WABAs of one business, so its volume tiers count across them: one partner's WABAs only
 * (sharing a portfolio with another partner's WABA would let one tenant's traffic move the other's prices).
 */
export async function checkPortfolio(
  db: Queryable,
  partnerId: string,
  portfolioId: string | null,
): Promise<void> {
  if (portfolioId === null) return;
  const foreign = await db.all(
    'SELECT 1 FROM wabas WHERE COALESCE(portfolio_id, waba_id) = $pf AND partner_id <> $p LIMIT 1',
    { pf: portfolioId, p: partnerId },
  );
  if (foreign.length > 0)
    throw new ConflictError(`Portfolio ${portfolioId} belongs to another partner.`, {
      portfolio_id: portfolioId,
    });
}

export async function createWaba(
  db: Queryable,
  partnerId: string,
  input: WabaInput,
  now: Date,
): Promise<WabaRow> {
  const partner = await db.all('SELECT 1 FROM partners WHERE partner_id = $p', { p: partnerId });
  if (!partner.length) throw new NotFoundError(`Partner ${partnerId}`);
  const taken = () => new ConflictError(`The waba_id ${input.waba_id} is already registered.`);
  const exists = await db.all('SELECT 1 FROM wabas WHERE waba_id = $id', { id: input.waba_id });
  if (exists.length) throw taken();
  await checkPortfolio(db, partnerId, input.portfolio_id ?? null);
  await insertOnce(
    db,
    `INSERT INTO wabas (waba_id, partner_id, name, timezone, currency, pmp_from, created_at, portfolio_id)
     VALUES ($id, $partner, $name, $tz, $cur, $pmp::DATE, $now::TIMESTAMPTZ, $pf)`,
    {
      pf: input.portfolio_id ?? null,
      id: input.waba_id,
      partner: partnerId,
      name: input.name,
      tz: input.timezone,
      cur: input.currency,
      pmp: input.pmp_from ?? DEFAULT_PMP_FROM,
      now: now.toISOString(),
    },
    taken,
  );
  const rows = await db.all<WabaRow>(`SELECT ${WABA_COLUMNS} FROM wabas WHERE waba_id = $id`, {
    id: input.waba_id,
  });
  return rows[0] as WabaRow;
}

/** Sets a WABA's name and/or portfolio; returns the WABA months whose prices the portfolio change can move. */
export async function updateWaba(
  db: Queryable,
  waba: WabaRow,
  patch: { readonly name?: string | undefined; readonly portfolio_id?: string | null | undefined },
): Promise<{ waba: WabaRow; repriceWabas: string[] }> {
  if (patch.name !== undefined)
    await db.run('UPDATE wabas SET name = $n WHERE waba_id = $id', { n: patch.name, id: waba.waba_id });
  let repriceWabas: string[] = [];
  if (patch.portfolio_id !== undefined && patch.portfolio_id !== waba.portfolio_id) {
    await checkPortfolio(db, waba.partner_id, patch.portfolio_id);
    // Volume tiers change for every WABA of the old and of the new portfolio.
    const keys = [waba.portfolio_id ?? waba.waba_id, patch.portfolio_id ?? waba.waba_id];
    repriceWabas = (
      await db.all<{ waba_id: string }>(
        'SELECT waba_id FROM wabas WHERE COALESCE(portfolio_id, waba_id) = ANY($k::VARCHAR[]) OR waba_id = $id',
        { k: keys, id: waba.waba_id },
      )
    ).map((r) => r.waba_id);
    await db.run('UPDATE wabas SET portfolio_id = $pf WHERE waba_id = $id', {
      pf: patch.portfolio_id,
      id: waba.waba_id,
    });
  }
  const rows = await db.all<WabaRow>(`SELECT ${WABA_COLUMNS} FROM wabas WHERE waba_id = $id`, {
    id: waba.waba_id,
  });
  return { waba: rows[0] as WabaRow, repriceWabas };
}

export async function listWabas(db: Queryable, partnerId: string | null): Promise<WabaRow[]> {
  return db.all<WabaRow>(
    `SELECT ${WABA_COLUMNS} FROM wabas WHERE $p::VARCHAR IS NULL OR partner_id = $p ORDER BY waba_id`,
    { p: partnerId },
  );
}

export interface PhoneNumberInput {
  readonly phone_number_id: string;
  readonly waba_id: string;
  readonly display_phone_number?: string | undefined;
  readonly label?: string | undefined;
}

export async function createPhoneNumber(db: Queryable, input: PhoneNumberInput, now: Date): Promise<void> {
  const exists = await db.all('SELECT 1 FROM phone_numbers WHERE phone_number_id = $id', {
    id: input.phone_number_id,
  });
  const taken = () =>
    new ConflictError(`The phone_number_id ${input.phone_number_id} is already registered.`);
  if (exists.length) throw taken();
  await insertOnce(
    db,
    'INSERT INTO phone_numbers VALUES ($id, $waba, $display, $label, $now::TIMESTAMPTZ)',
    {
      id: input.phone_number_id,
      waba: input.waba_id,
      display: input.display_phone_number ?? null,
      label: input.label ?? null,
      now: now.toISOString(),
    },
    taken,
  );
}

export async function updatePhoneLabel(
  db: Queryable,
  phoneNumberId: string,
  label: string | null,
): Promise<void> {
  await db.run('UPDATE phone_numbers SET label = $label WHERE phone_number_id = $id', {
    id: phoneNumberId,
    label,
  });
}

export type { PhoneNumberRow, WabaRow };
