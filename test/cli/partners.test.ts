import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPartnersCommand } from '../../worker/cli/partners.js';
import { createHarness, type Harness } from '../helpers/harness.js';

describe('worker/cli/partners', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
    const key = await h.partner('acme', ['https://a.test']);
    await h.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
  });
  afterAll(() => h.close());

  const run = (...argv: string[]) => runPartnersCommand(argv, h.money);
  const origins = (out: { stdout: string }) =>
    (JSON.parse(out.stdout) as { allowed_origins: string[] }).allowed_origins;

  it('shows, adds, removes and sets the origins of a partner that has keys and WABAs', async () => {
    expect(origins(await run('origins', 'acme'))).toEqual(['https://a.test']);
    expect(
      origins(await run('origins', 'acme', '--add', 'https://b.test', '--add', 'http://localhost:5173')),
    ).toEqual(['http://localhost:5173', 'https://a.test', 'https://b.test']);
    expect(origins(await run('origins', 'acme', '--remove', 'https://a.test'))).toEqual([
      'http://localhost:5173',
      'https://b.test',
    ]);
    expect(origins(await run('origins', 'acme', '--set', 'https://c.test'))).toEqual(['https://c.test']);
    const cors = await h.call('OPTIONS', '/v1/usage', {
      headers: { origin: 'https://c.test', 'access-control-request-method': 'GET' },
    });
    expect(cors.status).toBe(204);
  });

  it('refuses what the API refuses, with the reason, and leaves the list as it was', async () => {
    const out = await run('origins', 'acme', '--add', 'https://c.test/path');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('https://c.test/path: must not have a path');
    expect(origins(await run('origins', 'acme'))).toEqual(['https://c.test']);
    expect((await run('origins', 'nobody')).code).toBe(1);
    expect((await run('nonsense')).code).toBe(2);
  });
});
