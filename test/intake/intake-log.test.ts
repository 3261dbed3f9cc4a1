import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IntakeEntry } from '../../worker/intake/intake-entry.js';
import { IntakeLog } from '../../worker/intake/intake-log.js';
import { tempFolder } from './intake-app.js';

const entry = (k: string) =>
  ({
    at: '2026-05-01T00:00:00.000Z',
    partnerId: 'p',
    format: 'webhooks',
    keys: [k],
    text: `{"k":"${k}"}`,
  }) as const;

describe('worker/intake/intake-log: the durable log', () => {
  let remove: () => Promise<void> = async () => undefined;
  afterEach(() => remove());

  it('shares syncs between concurrent appends, keeps order, and reads every entry back', async () => {
    const folder = await tempFolder();
    remove = folder.remove;
    const durable: number[] = [];
    const log = await IntakeLog.open(
      folder.dir,
      () => undefined,
      (e) => durable.push(e.seq),
    );
    const appended = Array.from({ length: 200 }, (_, i) => log.append(entry(`k${i}`)));
    await Promise.all(appended.map((a) => a.durable));
    expect(appended.map((a) => a.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(durable).toEqual(appended.map((a) => a.seq));
    await log.close();
    const replayed: IntakeEntry[] = [];
    const again = await IntakeLog.open(
      folder.dir,
      (e) => replayed.push(e),
      () => undefined,
    );
    expect(replayed.map((e) => e.keys[0])).toEqual(Array.from({ length: 200 }, (_, i) => `k${i}`));
    expect(again.logId).toBe(log.logId);
    await again.close();
  });

  it('drops a line cut short by a crash (never acknowledged) and appends after the last whole one', async () => {
    const folder = await tempFolder();
    remove = folder.remove;
    const log = await IntakeLog.open(
      folder.dir,
      () => undefined,
      () => undefined,
    );
    await log.append(entry('a')).durable;
    await log.close();
    const [segment] = (await readdir(folder.dir)).filter((n) => n.startsWith('seg-'));
    await appendFile(join(folder.dir, segment!), '{"seq":2,"at":"2026-05-01T00:0');
    const replayed: IntakeEntry[] = [];
    const reopened = await IntakeLog.open(
      folder.dir,
      (e) => replayed.push(e),
      () => undefined,
    );
    expect(replayed.map((e) => e.seq)).toEqual([1]);
    expect((await readFile(join(folder.dir, segment!), 'utf8')).endsWith('}\n')).toBe(true);
    expect(reopened.append(entry('b')).seq).toBe(2);
    await reopened.close();
  });
});
