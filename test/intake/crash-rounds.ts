/**
 * The crash rounds the intake's crash tests share: the real service killed (SIGKILL) right after its 202s, once
 * before any derivation and once while derivation runs, then started again to drain what it acknowledged.
 */
import { expect } from 'vitest';
import { SERVER_ADMIN, startServer, type ServerProcess } from '../adversarial/server-process.js';
import { call, eventually, seedPartner } from './intake-app.js';

/** The April 2026 usage total of the partner and the intake's backlog. */
export async function derivedCounts(url: string, key: string): Promise<{ all: number; pending: number }> {
  const usage = await call(url, 'GET', '/v1/usage?group_by=phone_number_id&from=2026-04&to=2026-04', {
    token: key,
  });
  const intake = await call(url, 'GET', '/v1/intake', { token: SERVER_ADMIN });
  return {
    all: (usage.body.rows as { all: number }[]).reduce((n, row) => n + Number(row.all), 0),
    pending: intake.body.pending_events as number,
  };
}

/**
 * Round 1: the derivation waits 5 s, so the kill comes before any of it. Round 2: derivation every 10 ms, so
 * the kill meets it under way. Then a third start drains the backlog. `track` always holds the running server
 * (the caller stops it, also when this throws). Answers the partner key and the items acknowledged with 202.
 */
export async function crashTwiceThenDrain(opts: {
  dbPath: string;
  tempDir: string;
  send: (url: string, key: string, round: string) => Promise<number>;
  track: (server: ServerProcess) => void;
}): Promise<{ server: ServerProcess; key: string; acknowledged: number }> {
  const start = async (interval: string) => {
    const s = await startServer({
      dbPath: opts.dbPath,
      tempDir: opts.tempDir,
      env: { INTAKE_INTERVAL_MS: interval },
    });
    opts.track(s);
    return s;
  };
  let server = await start('5000');
  const key = await seedPartner(server.url, SERVER_ADMIN);
  let acknowledged = await opts.send(server.url, key, 'a');
  await server.stop('SIGKILL');
  server = await start('10');
  acknowledged += await opts.send(server.url, key, 'b');
  await server.stop('SIGKILL');
  server = await start('10');
  const url = server.url;
  expect(await eventually(async () => (await derivedCounts(url, key)).pending === 0, 60_000)).toBe(true);
  return { server, key, acknowledged };
}
