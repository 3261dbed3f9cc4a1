/**
 * `npm run partners -- origins <partner_id> [--set <origin> …] [--add <origin> …] [--remove <origin> …]
 * [--db path]`: shows or edits a partner's allowed browser origins straight in the money plane the settings
 * name (STORE): the DuckDB file (`--db` or DB_PATH) or the PGlite folder, for which the service must be
 * stopped (one process per file or folder), or the Postgres server, while the service runs. Origins live in the
 * money plane only (nothing of analytics reads them). With none of --set/--add/--remove it only shows them.
 * Origins are validated by the same rule as PATCH /v1/partners/{id}. Prints the partner as JSON; exit code 2 on
 * bad input.
 */
import { parseArgs } from 'node:util';
import { normalizeConfig } from '../config.js';
import type { Db } from '../db/db.js';
import { openMoneyStore } from '../db/open-money-store.js';
import { openStore } from '../pricing/open-store.js';
import { AppError } from '../errors.js';
import { originListSchema } from '../tenancy/origin.js';
import { getPartner, updatePartnerOrigins } from '../tenancy/partners.js';

const USAGE =
  'usage: npm run partners -- origins <partner_id> [--set <origin>]… [--add <origin>]… [--remove <origin>]… [--db path]\n';

export interface CliOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command against the open money plane; returns what to print and the exit code. */
export async function runPartnersCommand(argv: readonly string[], money: Db): Promise<CliOutput> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      set: { type: 'string', multiple: true },
      add: { type: 'string', multiple: true },
      remove: { type: 'string', multiple: true },
      db: { type: 'string' },
    },
  });
  const [command, partnerId] = positionals;
  if (command !== 'origins' || !partnerId) return { code: 2, stdout: '', stderr: USAGE };
  try {
    const current = await getPartner(money, partnerId);
    if (!values.set && !values.add && !values.remove)
      return { code: 0, stdout: `${JSON.stringify(current)}\n`, stderr: '' };
    const base = values.set ?? current.allowed_origins;
    const removed = new Set(values.remove ?? []);
    const next = [...new Set([...base, ...(values.add ?? [])])].filter((o) => !removed.has(o));
    const parsed = originListSchema.safeParse(next);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map(
        (i) => `  ${String(next[Number(i.path[0])] ?? '')}: ${i.message}`,
      );
      return { code: 2, stdout: '', stderr: `invalid origins:\n${reasons.join('\n')}\n` };
    }
    const partner = await money.transaction((tx) => updatePartnerOrigins(tx, partnerId, parsed.data));
    return { code: 0, stdout: `${JSON.stringify(partner)}\n`, stderr: '' };
  } catch (err) {
    if (err instanceof AppError) return { code: 1, stdout: '', stderr: `${err.message}\n` };
    throw err;
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const dbFlag = argv.indexOf('--db');
  const config = normalizeConfig(process.env);
  const path = dbFlag >= 0 ? argv[dbFlag + 1] : config.dbPath;
  const store =
    config.moneyStore.kind === 'duckdb'
      ? await openStore({ path: path ?? '' }, new Date())
      : await openMoneyStore(config);
  try {
    const out = await runPartnersCommand(argv, store);
    process.stdout.write(out.stdout);
    process.stderr.write(out.stderr);
    return out.code;
  } finally {
    await store.close();
  }
}

if (process.argv[1]?.endsWith('partners.ts')) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
