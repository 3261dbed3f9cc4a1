/**
 * The store's after-commit effects: registered inside a transaction, run after its commit with the writer free
 * (so they may write in transactions of their own), in order, before transaction() answers; never after a
 * rollback; a failing effect is reported and the commit stands. In a write session they wait for its end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sideBySide } from '../../worker/db/after-commit-effects.js';
import { onCommit, type Db } from '../../worker/db/db.js';
import { DuckDbStore } from '../../worker/db/duckdb-store.js';

describe('worker/db: after-commit effects', () => {
  let db: DuckDbStore;
  const errors: unknown[] = [];
  const open = async () => {
    errors.length = 0;
    db = await DuckDbStore.open({ path: ':memory:', onEffectError: (e) => errors.push(e) });
    await db.run('CREATE TABLE t (v VARCHAR)');
  };
  const values = async () => (await db.all<{ v: string }>('SELECT v FROM t ORDER BY rowid')).map((r) => r.v);
  afterEach(async () => db.close());

  it('run after the commit, in order, and may write in their own transactions', async () => {
    await open();
    const seen: string[] = [];
    const out = await db.transaction(async (tx) => {
      await tx.run("INSERT INTO t VALUES ('posted')");
      onCommit(tx, async (store) => {
        // Another connection sees the commit by now.
        seen.push(...(await store.all<{ v: string }>('SELECT v FROM t')).map((r) => r.v));
        await store.transaction((t2) => t2.run("INSERT INTO t VALUES ('effect 1')"));
      });
      onCommit(tx, (store) => store.transaction((t2) => t2.run("INSERT INTO t VALUES ('effect 2')")));
      expect(seen).toEqual([]);
      return 'answer';
    });
    expect(out).toBe('answer');
    expect(seen).toEqual(['posted']);
    expect(await values()).toEqual(['posted', 'effect 1', 'effect 2']);
  });

  it('never run after a rollback', async () => {
    await open();
    let ran = false;
    await expect(
      db.transaction(async (tx) => {
        await tx.run("INSERT INTO t VALUES ('lost')");
        onCommit(tx, () => {
          ran = true;
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(ran).toBe(false);
    expect(await values()).toEqual([]);
  });

  it('a failing effect is reported; the commit and the later effects stand', async () => {
    await open();
    await db.transaction(async (tx) => {
      await tx.run("INSERT INTO t VALUES ('kept')");
      onCommit(tx, () => Promise.reject(new Error('effect failed')));
      onCommit(tx, (store) => store.transaction((t2) => t2.run("INSERT INTO t VALUES ('after')")));
    });
    expect(await values()).toEqual(['kept', 'after']);
    expect(errors).toEqual([expect.objectContaining({ message: 'effect failed' })]);
  });

  it('in a write session, run once the session has released the writer', async () => {
    await open();
    const order: string[] = [];
    await db.writeSession(async (s) => {
      await s.transaction(async (tx) => {
        await tx.run("INSERT INTO t VALUES ('land')");
        onCommit(tx, (store) => store.transaction((t2) => t2.run("INSERT INTO t VALUES ('effect')")));
      });
      order.push('between');
      await s.transaction((tx) => tx.run("INSERT INTO t VALUES ('settle')"));
    });
    expect(order).toEqual(['between']);
    expect(await values()).toEqual(['land', 'settle', 'effect']);
  });

  it('side by side: run at once, each to its end, failing with what failed', async () => {
    await open();
    // Each waits for the other to have started: they can only both end if they run at once.
    let release: () => void = () => undefined;
    const bothStarted = new Promise<void>((res) => (release = res));
    let started = 0;
    const waiting =
      (v: string, fail = false) =>
      async (store: Db) => {
        if (++started === 2) release();
        await bothStarted;
        await store.transaction((t2) => t2.run('INSERT INTO t VALUES ($v)', { v }));
        if (fail) throw new Error(`${v} failed`);
      };
    await db.transaction(async (tx) => {
      await tx.run("INSERT INTO t VALUES ('posted')");
      onCommit(tx, sideBySide(waiting('a'), waiting('b', true)));
    });
    expect((await values()).sort()).toEqual(['a', 'b', 'posted']);
    expect(errors).toEqual([expect.objectContaining({ message: 'b failed' })]);

    errors.length = 0;
    await db.transaction(async (tx) => {
      onCommit(
        tx,
        sideBySide(
          () => Promise.reject(new Error('one')),
          () => Promise.reject(new Error('two')),
        ),
      );
    });
    expect(errors).toEqual([expect.any(AggregateError)]);
    expect((errors[0] as AggregateError).errors.map((e: Error) => e.message)).toEqual(['one', 'two']);
  });
});
