/**
 * A process killed (SIGKILL) between confirm and settlement: after reopening the DuckDB file the settlement job
 * settles the top-up exactly once; nothing is lost or duplicated.
 */
import { domainContextOf } from '../../worker/kernel/domain-context.js';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { settledBalance, pendingTopUps } from '../../worker/ledger/ledger.js';
import { ManualClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { settleDueTopUps } from '../../worker/funding/settle-due.js';

function runChildUntilConfirmed(dbPath: string): Promise<{ topup_id: string; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), dbPath],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let confirmed: { topup_id: string } | null = null;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && !confirmed) {
        confirmed = JSON.parse(line) as { topup_id: string };
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (_code, signal) => {
      if (confirmed) resolve({ ...confirmed, signal });
      else reject(new Error(`child exited before confirming: ${err}`));
    });
  });
}

describe('crash between confirm and settlement', () => {
  let dir: string | null = null;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('settles exactly once after restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ci-crash-'));
    const dbPath = join(dir, 'store.duckdb');
    const child = await runChildUntilConfirmed(dbPath);
    expect(child.signal).toBe('SIGKILL');

    const db = await openStore({ path: dbPath }, new Date());
    try {
      const config = normalizeConfig({ DB_PATH: dbPath });
      const before = await db.all<{ status: string }>('SELECT status FROM topups');
      expect(before).toEqual([{ status: 'pending' }]);
      expect(await settledBalance(db, 'P1')).toBe('0.000000');
      expect(await pendingTopUps(db, 'P1')).toBe('40.000000');

      // Not yet due: the restart job run leaves it pending.
      const clock = new ManualClock('2025-08-15T12:10:00Z');
      const jobs = { db, money: db, config, domain: domainContextOf({ clock, config }) };
      expect(await settleDueTopUps(jobs)).toBe(0);
      clock.set('2025-08-15T12:30:00Z');
      const runs = await Promise.all([1, 2, 3].map(() => settleDueTopUps(jobs)));
      expect(runs.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await settleDueTopUps(jobs)).toBe(0);

      expect(await settledBalance(db, 'P1')).toBe('40.000000');
      expect(await pendingTopUps(db, 'P1')).toBe('0.000000');
      const rows = await db.all(
        `SELECT kind, status, amount::VARCHAR AS amount, topup_id FROM ledger_movements ORDER BY seq`,
      );
      expect(rows).toEqual([
        { kind: 'topup_one_time', status: 'settled', amount: '40.000000', topup_id: child.topup_id },
        { kind: 'fee', status: 'settled', amount: '1.600000', topup_id: child.topup_id },
      ]);
      expect(await db.all('SELECT count(*)::INTEGER AS n FROM idempotency_keys')).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  });
});
