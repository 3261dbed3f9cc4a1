/** WABAs (id, name, IANA time zone, currency) and their phone numbers. */
import type { Queryable, SqlParams } from '../db/db.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { PhoneNumberRow, WabaRow } from '../auth/access.js';

export interface WabaInput {
  readonly waba_id: string;
  readonly name: string;
  readonly timezone: string;
  readonly currency: string;
  readonly pmp_from?: string | undefined;
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

const WABA_COLUMNS = `waba_id, partner_id, name, timezone, currency, strftime(pmp_from, '%Y-%m-%d') AS pmp_from`;

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
  await insertOnce(
    db,
    `INSERT INTO wabas VALUES ($id, $partner, $name, $tz, $cur, COALESCE($pmp::DATE, DATE '2025-07-01'), $now::TIMESTAMPTZ)`,
    {
      id: input.waba_id,
      partner: partnerId,
      name: input.name,
      tz: input.timezone,
      cur: input.currency,
      pmp: input.pmp_from ?? null,
      now: now.toISOString(),
    },
    taken,
  );
  const rows = await db.all<WabaRow>(`SELECT ${WABA_COLUMNS} FROM wabas WHERE waba_id = $id`, {
    id: input.waba_id,
  });
  return rows[0] as WabaRow;
}

export async function listWabas(db: Queryable, partnerId: string | null): Promise<WabaRow[]> {
  return db.all<WabaRow>(
    `SELECT ${WABA_COLUMNS} FROM wabas WHERE $p IS NULL OR partner_id = $p ORDER BY waba_id`,
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
