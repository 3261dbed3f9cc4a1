/**
 * What the lake-alone rebuild tests share: calls to a real server, `npm run rebuild` as an operator runs it, and
 * a store's rollups, priced units and reference tables as one text to compare.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { openStore } from '../../worker/pricing/open-store.js';
import type { ServerProcess } from '../adversarial/server-process.js';

export const ROOT = join(import.meta.dirname, '../..');
const run = promisify(execFile);

export async function call(s: ServerProcess, method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined
        ? {}
        : { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

export async function ok(s: ServerProcess, method: string, path: string, token: string, body?: unknown) {
  const r = await call(s, method, path, token, body);
  expect(r.status, `${method} ${path}: ${r.text.slice(0, 400)}`).toBeLessThan(300);
  return r.json();
}

/** A charges answer says when it was computed (as_of): the two servers answer at different times. */
export const asked = (text: string) => text.replace(/"as_of":"[^"]*"/g, '"as_of":"…"');

/** `npm run rebuild` as an operator runs it; DB_PATH names the (deleted) live file, which it must not need. */
export async function rebuild(lake: string, out: string, dbPath: string) {
  try {
    const r = await run('npx', ['tsx', 'worker/cli/rebuild.ts', '--out', out, '--lake', lake], {
      cwd: ROOT,
      env: { ...process.env, DB_PATH: dbPath },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The rollups, the priced units and the reference tables of a store file, as one text. */
export async function dumpTables(path: string): Promise<string> {
  const db = await openStore({ path }, new Date());
  try {
    const out: string[] = [];
    for (const sql of [
      'SELECT * FROM usage_daily ORDER BY ALL',
      'SELECT * FROM usage_monthly ORDER BY ALL',
      `SELECT unit_id, waba_id, phone_number_id, local_day, regime, pricing_type, is_paid, market, rate, amount,
              rate_card_id, tier FROM units ORDER BY unit_id`,
      'SELECT * FROM wabas ORDER BY waba_id',
      'SELECT * FROM phone_numbers ORDER BY phone_number_id',
      'SELECT * EXCLUDE (created_at) FROM rate_cards ORDER BY card_id',
    ])
      out.push(JSON.stringify(await db.all(sql)));
    return out.join('\n');
  } finally {
    await db.close();
  }
}
