/**
 * worker/ledger/ledger.ts is the one door into the ledger: no other module writes ledger rows, and the door
 * refuses rows that break the ledger's invariants (account currency, scale, kind ↔ sign and status, a pending
 * top-up resolved once), leaving the ledger as it was.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerRefusedError } from '../../worker/errors.js';
import {
  appendMovement,
  pendingTopUps,
  resolveTopUpMovements,
  settledBalance,
} from '../../worker/ledger/ledger.js';
import { createFixture, type Fixture } from '../funding/fixtures.js';

const WORKER = join(import.meta.dirname, '../../worker');
const DOOR = 'ledger/ledger.ts';
const WRITES =
  /\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?|COPY)\s+ledger_movements\b/i;

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (/\.(ts|sql)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('worker/ledger/ledger.ts: the one door', () => {
  it('is the only module that writes ledger rows (schema migrations aside)', async () => {
    const writers: string[] = [];
    for (const file of await sources(WORKER)) {
      const rel = relative(WORKER, file).split('\\').join('/');
      if (rel.startsWith('db/migrations/')) continue;
      if (WRITES.test(await readFile(file, 'utf8'))) writers.push(rel);
    }
    expect(writers).toEqual([DOOR]);
  });

  it('the check sees writes however they are spelled', () => {
    expect(WRITES.test('update ledger_movements set status = 1')).toBe(true);
    expect(WRITES.test('INSERT INTO\n  ledger_movements (a) VALUES (1)')).toBe(true);
    expect(WRITES.test('DELETE   FROM ledger_movements')).toBe(true);
    expect(WRITES.test('SELECT * FROM ledger_movements')).toBe(false);
  });
});

describe('worker/ledger/ledger.ts: invariants', () => {
  let f: Fixture;
  afterEach(async () => f.h.close());
  const rows = async () =>
    (await f.h.money.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM ledger_movements'))[0]?.n;
  const base = {
    phone_number_id: 'P1',
    currency: 'EUR',
    status: 'settled' as const,
    requested_at: new Date('2025-08-15T12:00:00Z'),
  };

  it('refuses a currency other than the account’s', async () => {
    f = await createFixture(['P1']);
    const p = appendMovement(f.h.money, { ...base, kind: 'adjustment', amount: '5', currency: 'USD' });
    await expect(p).rejects.toBeInstanceOf(LedgerRefusedError);
    await expect(p).rejects.toThrow(/USD.*EUR/);
    expect(await rows()).toBe(0);
  });

  it('refuses an amount finer than 6 decimals instead of rounding it', async () => {
    f = await createFixture(['P1']);
    await expect(
      appendMovement(f.h.money, { ...base, kind: 'adjustment', amount: '0.0000001' }),
    ).rejects.toBeInstanceOf(LedgerRefusedError);
    await expect(
      appendMovement(f.h.money, { ...base, kind: 'adjustment', amount: '1e3' }),
    ).rejects.toBeInstanceOf(LedgerRefusedError);
    expect(await rows()).toBe(0);
  });

  it('ties each kind to its sign and status', async () => {
    f = await createFixture(['P1']);
    const refused = [
      { ...base, kind: 'charge' as const, amount: '1' },
      { ...base, kind: 'refund' as const, amount: '1' },
      { ...base, kind: 'topup_auto' as const, amount: '0', topup_id: 't1' },
      { ...base, kind: 'charge' as const, amount: '-1', status: 'pending' as const },
      { ...base, kind: 'adjustment' as const, amount: '1', status: 'failed' as const },
      { ...base, kind: 'topup_one_time' as const, amount: '1', status: 'pending' as const }, // no top-up id
      { ...base, kind: 'fee' as const, amount: '1' }, // a fee belongs to a top-up
    ];
    for (const m of refused)
      await expect(appendMovement(f.h.money, m)).rejects.toBeInstanceOf(LedgerRefusedError);
    await expect(
      appendMovement(f.h.money, { ...base, phone_number_id: 'NOPE', kind: 'adjustment', amount: '1' }),
    ).rejects.toBeInstanceOf(LedgerRefusedError);
    expect(await rows()).toBe(0);
    await appendMovement(f.h.money, { ...base, kind: 'charge', amount: '-1.25' });
    expect(await settledBalance(f.h.money, 'P1')).toBe('-1.250000');
  });

  it('resolves a pending top-up once; a second resolution is refused and changes nothing', async () => {
    f = await createFixture(['P1']);
    const pending = { ...base, status: 'pending' as const, topup_id: 'tu_1' };
    await appendMovement(f.h.money, { ...pending, kind: 'topup_one_time', amount: '10' });
    await appendMovement(f.h.money, { ...pending, kind: 'fee', amount: '0.40' });
    expect(await pendingTopUps(f.h.money, 'P1')).toBe('10.000000');
    const at = new Date('2025-08-15T12:30:00Z');
    await f.h.money.transaction((tx) => resolveTopUpMovements(tx, 'tu_1', 'settled', at));
    expect(await settledBalance(f.h.money, 'P1')).toBe('10.000000');
    await expect(
      f.h.money.transaction((tx) => resolveTopUpMovements(tx, 'tu_1', 'failed', at)),
    ).rejects.toBeInstanceOf(LedgerRefusedError);
    expect(
      await f.h.money.all("SELECT kind, status FROM ledger_movements WHERE topup_id = 'tu_1' ORDER BY seq"),
    ).toEqual([
      { kind: 'topup_one_time', status: 'settled' },
      { kind: 'fee', status: 'settled' },
    ]);
    expect(await settledBalance(f.h.money, 'P1')).toBe('10.000000');
  });
});
