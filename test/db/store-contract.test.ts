/**
 * The store contract: one set of scenarios run on every store (DuckDB, PGlite, a real Postgres 15 server), each
 * asserting the same hand-worked answer, so a money query gives identical results whichever store holds the money.
 * The SQL is the dialect both engines accept; each scenario makes its own tables.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { onCommit, type Db } from '../../worker/db/db.js';
import {
  openStore,
  startWorker,
  STORE_KINDS,
  stopFileServer,
  describeOnStores,
  fileServer,
} from '../helpers/store-kinds.js';

afterAll(stopFileServer);

describeOnStores('worker/db store contract: %s', STORE_KINDS, (kind) => {
  let db: Db;
  const errors: unknown[] = [];
  beforeAll(async () => {
    db = await openStore(kind, errors);
  });
  afterAll(async () => db?.close());

  it('sums 0.000001 steps, negatives and the DECIMAL(18,6) bounds exactly', async () => {
    await db.run('CREATE TABLE dec_t (id INTEGER, amount DECIMAL(18, 6))');
    await db.run('INSERT INTO dec_t SELECT i, 0.000001 FROM generate_series(1, 1000) t(i)');
    await db.run('INSERT INTO dec_t VALUES (2001, $a::DECIMAL(18, 6)), (2002, $b::DECIMAL(18, 6))', {
      a: '999999999999.999999',
      b: '-999999999999.999999',
    });
    await db.run('INSERT INTO dec_t VALUES (3001, $c::DECIMAL(18, 6))', { c: '-0.000001' });
    const [r] = await db.all(
      `SELECT sum(amount) FILTER (WHERE id <= 1000) AS steps,
                sum(amount) AS total,
                max(amount) AS hi, min(amount) AS lo,
                sum(amount) FILTER (WHERE id = 2001 OR id = 3001) AS hi_less_one,
                (SELECT amount FROM dec_t WHERE id = 3001) AS neg
           FROM dec_t`,
    );
    expect(r).toEqual({
      steps: '0.001000',
      total: '0.000999',
      hi: '999999999999.999999',
      lo: '-999999999999.999999',
      hi_less_one: '999999999999.999998',
      neg: '-0.000001',
    });
    // One micro-unit past the bound is refused, not rounded or wrapped.
    await expect(
      db.run('INSERT INTO dec_t VALUES (4001, $x::DECIMAL(18, 6))', { x: '1000000000000.000000' }),
    ).rejects.toThrow();
  });

  it('keeps integer micro-units past 2^53 exact, in and out', async () => {
    await db.run('CREATE TABLE micro_t (id INTEGER, micros BIGINT)');
    await db.run('INSERT INTO micro_t VALUES (1, $a), (2, $b), (3, $c)', {
      a: 9007199254740993n,
      b: -1n,
      c: 9223372036854775807n,
    });
    const rows = await db.all('SELECT id, micros FROM micro_t ORDER BY id');
    expect(rows).toEqual([
      { id: 1, micros: '9007199254740993' },
      { id: 2, micros: '-1' },
      { id: 3, micros: '9223372036854775807' },
    ]);
    const [s] = await db.all(
      `SELECT sum(micros) FILTER (WHERE id < 3) AS s,
                CAST(sum(micros) FILTER (WHERE id < 3) AS DECIMAL(38, 0)) / 1000000 AS units
           FROM micro_t`,
    );
    expect(s).toMatchObject({ s: '9007199254740992' });
    expect(Number(s!.units as string)).toBeCloseTo(9007199254.740992, 6);
    const [m] = await db.all('SELECT CAST(CAST($d AS DECIMAL(18, 6)) * 1000000 AS BIGINT) AS micros', {
      d: '-12.345678',
    });
    expect(m).toEqual({ micros: '-12345678' });
  });

  it('answers dates as YYYY-MM-DD and instants in UTC text, zones explicit', async () => {
    await db.run('CREATE TABLE time_t (id INTEGER, day DATE, ts TIMESTAMPTZ)');
    await db.run(
      'INSERT INTO time_t VALUES (1, $d::DATE, $t::TIMESTAMPTZ), (2, $d2::DATE, $t2::TIMESTAMPTZ)',
      {
        d: '2024-02-29',
        t: '2026-03-29T01:30:00+01:00',
        d2: '1999-12-31',
        t2: '2026-01-01T00:00:00.000001Z',
      },
    );
    expect(await db.all('SELECT id, day, ts FROM time_t ORDER BY id')).toEqual([
      { id: 1, day: '2024-02-29', ts: '2026-03-29 00:30:00+00' },
      { id: 2, day: '1999-12-31', ts: '2026-01-01 00:00:00.000001+00' },
    ]);
    // 23:30 UTC on 28 March is already the 29th in Berlin (UTC+1 until 01:00 UTC that day) and 20:30 in São Paulo.
    const [z] = await db.all(
      `SELECT CAST(inst AT TIME ZONE 'Europe/Berlin' AS DATE) AS berlin_day,
                inst AT TIME ZONE 'America/Sao_Paulo' AS sao_paulo,
                CAST($s::TIMESTAMPTZ AS DATE) AS utc_day
           FROM (SELECT $u::TIMESTAMPTZ AS inst) x`,
      { u: '2026-03-28 23:30:00+00', s: '2026-03-28T23:30:00-05:00' },
    );
    expect(z).toEqual({
      berlin_day: '2026-03-29',
      sao_paulo: '2026-03-28 20:30:00',
      utc_day: '2026-03-29',
    });
    const [now] = await db.all<{ t: string }>('SELECT now() AS t');
    expect(now!.t).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00$/);
  });

  it('names columns and their types alike', async () => {
    const r = await db.columns(
      `SELECT CAST(1 AS BIGINT) AS b, CAST(1.5 AS DECIMAL(18, 6)) AS m, DATE '2026-01-02' AS d,
                TIMESTAMPTZ '2026-01-02 03:04:05+00' AS t, CAST('x' AS VARCHAR) AS s, CAST(7 AS INTEGER) AS i,
                true AS ok, count(*) AS n`,
    );
    expect(r.names).toEqual(['b', 'm', 'd', 't', 's', 'i', 'ok', 'n']);
    expect(r.types).toEqual([
      'BIGINT',
      'DECIMAL(18,6)',
      'DATE',
      'TIMESTAMP WITH TIME ZONE',
      'VARCHAR',
      'INTEGER',
      'BOOLEAN',
      'BIGINT',
    ]);
    expect(r.rows).toEqual([
      {
        b: '1',
        m: '1.500000',
        d: '2026-01-02',
        t: '2026-01-02 03:04:05+00',
        s: 'x',
        i: 7,
        ok: true,
        n: '1',
      },
    ]);
  });

  it('binds named parameters: reused, beside casts, never inside literals; a missing or unused one fails', async () => {
    const [r] = await db.all(
      `SELECT $a::DECIMAL(18, 6) + $a::DECIMAL(18, 6) AS twice, '$a' AS literal, $b AS b -- $a in a comment`,
      { a: '0.000001', b: 'x' },
    );
    expect(r).toEqual({ twice: '0.000002', literal: '$a', b: 'x' });
    await expect(db.all('SELECT $a AS a', {})).rejects.toThrow();
    await expect(db.all('SELECT $a AS a', { a: 1, b: 2 })).rejects.toThrow();
  });

  it('a transaction that throws leaves nothing, and runs none of its effects', async () => {
    await db.run('CREATE TABLE rb_t (id INTEGER PRIMARY KEY, v VARCHAR)');
    let ran = false;
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO rb_t VALUES (1, 'a'), (2, 'b')");
        onCommit(tx, () => {
          ran = true;
        });
        await tx.run("INSERT INTO rb_t VALUES (1, 'duplicate')");
      }),
    ).rejects.toThrow();
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO rb_t VALUES (3, 'c')");
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(ran).toBe(false);
    expect(await db.all('SELECT count(*) AS n FROM rb_t')).toEqual([{ n: '0' }]);
  });

  it('a failed statement the function swallowed keeps nothing of the transaction', async () => {
    await db.run('CREATE TABLE sw_t (id INTEGER PRIMARY KEY)');
    await db.run('INSERT INTO sw_t VALUES (1)');
    const attempt = db.transaction(async (tx) => {
      await tx.run('INSERT INTO sw_t VALUES (2)');
      await tx.run('INSERT INTO sw_t VALUES (1)').catch(() => undefined);
      return 'done';
    });
    // Postgres refuses to report a commit that did not happen; DuckDB answers, but keeps nothing either.
    if (kind === 'duckdb') await attempt;
    else await expect(attempt).rejects.toThrow('rolled back');
    expect(await db.all('SELECT id FROM sw_t ORDER BY id')).toEqual([{ id: 1 }]);
  });

  it('runs after-commit effects after the commit, in order, with the store free', async () => {
    await db.run('CREATE TABLE ac_t (v VARCHAR)');
    const seen: string[] = [];
    const out = await db.transaction(async (tx) => {
      await tx.run("INSERT INTO ac_t VALUES ('posted')");
      onCommit(tx, async (store) => {
        seen.push(...(await store.all<{ v: string }>('SELECT v FROM ac_t')).map((r) => `saw ${r.v}`));
        await store.transaction((t2) => t2.run("INSERT INTO ac_t VALUES ('effect')"));
      });
      onCommit(tx, () => {
        seen.push('second');
      });
      expect(seen).toEqual([]);
      return 'answer';
    });
    expect(out).toBe('answer');
    expect(seen).toEqual(['saw posted', 'second']);
    expect(await db.all('SELECT v FROM ac_t ORDER BY v')).toEqual([{ v: 'effect' }, { v: 'posted' }]);
  });

  it('concurrent read-then-write transactions lose no increment', async () => {
    await db.run('CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)');
    await db.run('INSERT INTO counter VALUES (1, 0)');
    const each = 15;
    const increment = () =>
      db.transaction(async (tx) => {
        const [row] = await tx.all<{ n: string }>('SELECT n FROM counter WHERE id = 1');
        await tx.run('UPDATE counter SET n = $n WHERE id = 1', { n: BigInt(row!.n) + 1n });
      });
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let i = 0; i < each; i++) await increment();
      }),
    );
    expect(await db.all('SELECT n FROM counter')).toEqual([{ n: String(6 * each) }]);
  });

  if (kind === 'postgres') {
    it('three processes incrementing one counter through the server give the exact total', async () => {
      await db.run('UPDATE counter SET n = 0 WHERE id = 1');
      const url = (await fileServer()).url;
      const workers = await Promise.all([0, 1, 2].map(() => startWorker(['count', url, '40', '3'])));
      expect(await Promise.all(workers.map((w) => w.done))).toEqual([0, 0, 0]);
      expect(await db.all('SELECT n FROM counter')).toEqual([{ n: '120' }]);
    });
  }

  it('reports no failed effect', () => {
    expect(errors).toEqual([]);
  });
});
