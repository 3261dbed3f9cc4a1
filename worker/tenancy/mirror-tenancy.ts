/**
 * The analytics plane's copy of the tenancy: partners, WABAs (zone, currency, PMP date, portfolio) and phone
 * numbers, which its joins read (units by WABA zone, rollups, portfolios, exports, the lake's reference log).
 * The money plane holds the truth; every tenancy write commits there first, then copies the rows it changed
 * here (writeTenancy). API keys and allowed origins stay in the money plane alone: nothing in analytics reads
 * them. With one store (STORE=duckdb) the mirror is the table itself and none of this runs.
 *
 * The copy is written with DuckDB SQL (the analytics plane is always DuckDB); the rows are read from the money
 * plane with SQL that runs on DuckDB and Postgres alike.
 */
import type { Queryable } from '../db/db.js';

export type MirrorTable = 'partners' | 'wabas' | 'phone_numbers';

/** The rows a write changed, by key, per table. */
export type TenancyKeys = { readonly [T in MirrorTable]?: readonly string[] };

export interface MirrorSpec {
  readonly key: string;
  /** Every column, in the order both planes' SELECT answers them, with the DuckDB type to cast to. */
  readonly columns: Readonly<Record<string, 'VARCHAR' | 'DATE' | 'TIMESTAMPTZ'>>;
  /** The owner's key (never changes in the product: a conflict, not an update, when the planes disagree). */
  readonly owner: string | null;
  /** What a later write may change. */
  readonly updatable: readonly string[];
}

/** In the order their foreign keys need. */
export const MIRROR_TABLES: Readonly<Record<MirrorTable, MirrorSpec>> = {
  partners: {
    key: 'partner_id',
    columns: { partner_id: 'VARCHAR', name: 'VARCHAR', created_at: 'TIMESTAMPTZ' },
    owner: null,
    updatable: ['name'],
  },
  wabas: {
    key: 'waba_id',
    columns: {
      waba_id: 'VARCHAR',
      partner_id: 'VARCHAR',
      name: 'VARCHAR',
      timezone: 'VARCHAR',
      currency: 'VARCHAR',
      pmp_from: 'DATE',
      portfolio_id: 'VARCHAR',
      created_at: 'TIMESTAMPTZ',
    },
    owner: 'partner_id',
    updatable: ['name', 'timezone', 'currency', 'pmp_from', 'portfolio_id'],
  },
  phone_numbers: {
    key: 'phone_number_id',
    columns: {
      phone_number_id: 'VARCHAR',
      waba_id: 'VARCHAR',
      display_phone_number: 'VARCHAR',
      label: 'VARCHAR',
      created_at: 'TIMESTAMPTZ',
    },
    owner: 'waba_id',
    updatable: ['display_phone_number', 'label'],
  },
};

export const MIRROR_ORDER: readonly MirrorTable[] = ['partners', 'wabas', 'phone_numbers'];

export type MirrorRow = Readonly<Record<string, string | null>>;

/**
 * The rows of a table as both planes answer them (DATE 'YYYY-MM-DD', TIMESTAMPTZ in UTC text); `keys` null =
 * every row. One SQL text for DuckDB and Postgres.
 */
export async function readTenancyRows(
  q: Queryable,
  table: MirrorTable,
  keys: readonly string[] | null,
): Promise<MirrorRow[]> {
  const spec = MIRROR_TABLES[table];
  const cols = Object.keys(spec.columns).join(', ');
  if (keys === null) return q.all<MirrorRow>(`SELECT ${cols} FROM ${table} ORDER BY ${spec.key}`);
  if (keys.length === 0) return [];
  return q.all<MirrorRow>(
    `SELECT ${cols} FROM ${table} WHERE ${spec.key} IN (SELECT unnest($keys::VARCHAR[])) ORDER BY ${spec.key}`,
    { keys: [...new Set(keys)] },
  );
}

/**
 * Writes rows into the analytics copy of a table: new ones inserted, known ones given the updatable columns.
 * One JSON text carries the batch, so thousands of rows are one statement and no value can shift a field.
 */
export async function upsertMirrorRows(tx: Queryable, table: MirrorTable, rows: readonly MirrorRow[]) {
  if (rows.length === 0) return;
  const spec = MIRROR_TABLES[table];
  const names = Object.keys(spec.columns);
  const shape = JSON.stringify(Object.fromEntries(names.map((c) => [c, 'VARCHAR'])));
  const casts = names.map((c) => (spec.columns[c] === 'VARCHAR' ? `r.${c}` : `r.${c}::${spec.columns[c]}`));
  const sets = spec.updatable.map((c) => `${c} = excluded.${c}`).join(', ');
  await tx.run(
    `INSERT INTO ${table} (${names.join(', ')})
     SELECT ${casts.join(', ')} FROM (SELECT unnest(from_json($rows, '[${shape}]')) AS r)
     ON CONFLICT (${spec.key}) DO UPDATE SET ${sets}`,
    { rows: JSON.stringify(rows) },
  );
}

/**
 * Inside the analytics transaction that follows a committed money write: copies the rows the write changed,
 * as the money plane holds them now (a later write's copy, serialised behind this one on the analytics writer,
 * reads later truth, so the copy never goes back in time).
 */
export async function mirrorTenancyRows(money: Queryable, tx: Queryable, keys: TenancyKeys): Promise<void> {
  for (const table of MIRROR_ORDER) {
    const k = keys[table];
    if (k && k.length > 0) await upsertMirrorRows(tx, table, await readTenancyRows(money, table, k));
  }
}
