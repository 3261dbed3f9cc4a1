/**
 * Alert webhooks go only to public http(s) addresses: loopback, private, link-local/metadata, unique-local
 * IPv6 and the like are refused when subscribing and again at send time (a name may resolve elsewhere later),
 * and a redirect is never followed. Names resolve through an injected lookup, so no test touches the network;
 * the only traffic goes to a receiver on 127.0.0.1, which the default policy must refuse.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseAlert } from '../../worker/alerts/alert-table.js';
import { deliverAlerts } from '../../worker/funding/deliver-alerts.js';
import { silentLogger } from '../../worker/env.js';
import { addressAllowed, isPublicAddress } from '../../worker/kernel/public-address.js';
import { nodeHost } from '../../worker/node-host.js';
import { normalizeConfig } from '../../worker/config.js';
import { createFixture, type Fixture } from '../funding/fixtures.js';
import { createHarness } from '../helpers/harness.js';

describe('worker/http/public-address', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.10',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fec0::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    '2001:db8::1',
    'not-an-ip',
    '[::1]',
  ])('refuses %s', (ip) => expect(isPublicAddress(ip)).toBe(false));

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'accepts the public %s',
    (ip) => expect(isPublicAddress(ip)).toBe(true),
  );

  it('lets an operator list a private network explicitly', () => {
    expect(addressAllowed('10.1.2.3', ['10.1.2.0/24'])).toBe(true);
    expect(addressAllowed('10.1.3.3', ['10.1.2.0/24'])).toBe(false);
  });
});

describe('alert subscriptions and deliveries', () => {
  let f: Fixture;
  let receiver: Server;
  let port = 0;
  let hits = 0;
  // hooks.example.com resolves to a public address at subscription time, then to loopback (DNS rebinding).
  let rebound = false;
  const lookup = async (name: string): Promise<string[]> => {
    const table: Record<string, string[]> = {
      'hooks.example.com': rebound ? ['127.0.0.1'] : ['93.184.216.34'],
      'internal.example.com': ['10.0.0.7'],
      'mixed.example.com': ['93.184.216.34', '169.254.169.254'],
    };
    const found = table[name];
    if (!found) throw new Error(`ENOTFOUND ${name}`);
    return found;
  };
  beforeAll(async () => {
    f = await createFixture(['P1']);
    receiver = createServer((req, res) => {
      hits++;
      res.statusCode = req.url === '/redirect' ? 302 : 200;
      res.setHeader('location', 'http://169.254.169.254/latest/meta-data/');
      res.end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    port = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
    await f.h.close();
  });

  const subscribe = (url: string) => f.json('POST', '/v1/alert-subscriptions', { body: { url } });

  it.each([
    () => `http://127.0.0.1:${port}/hook`,
    () => 'http://localhost/hook',
    () => 'http://[::1]/hook',
    () => 'http://169.254.169.254/latest/meta-data/',
    () => 'http://2130706433/hook',
    () => 'http://0x7f.1/hook',
    () => 'http://10.0.0.1/hook',
    () => 'http://[fd00::1]/hook',
    () => 'http://[::ffff:127.0.0.1]/hook',
    () => 'http://metadata/computeMetadata',
    () => 'http://printer.local/hook',
    () => 'ftp://hooks.example.com/hook',
    () => 'http://user:pw@hooks.example.com/hook',
  ])('refuses the subscription %#', async (make) => {
    const r = await subscribe(make());
    expect(r.status).toBe(400);
    expect(r.body.issues[0].column).toBe('url');
  });

  it('resolves names when subscribing: private or partly private answers are refused', async () => {
    expect((await subscribe('https://unknown.example.com/hook')).status).toBe(400);
    const hh = await createHarness({ lookup });
    const key = await hh.partner('acme');
    const sub = (url: string) => hh.json('POST', '/v1/alert-subscriptions', { token: key, body: { url } });
    expect((await sub('https://internal.example.com/hook')).status).toBe(400);
    expect((await sub('https://mixed.example.com/hook')).status).toBe(400);
    expect((await sub('https://hooks.example.com/hook')).status).toBe(201);
    await hh.close();
  });

  it('checks again at send time: a name rebound to 127.0.0.1 is refused and nothing reaches it', async () => {
    const hh = await createHarness({ lookup, env: { SIGNING_SECRET: 'x'.repeat(32) } });
    const key = await hh.partner('acme');
    await hh.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
    const s = await hh.json('POST', '/v1/alert-subscriptions', {
      token: key,
      body: { url: `http://hooks.example.com:${port}/hook` },
    });
    expect(s.status).toBe(201);
    rebound = true;
    await hh.money.transaction((tx) =>
      raiseAlert(tx, { phone_number_id: 'P1', kind: 'renewal_failed', message: 'x', now: hh.clock.now() }),
    );
    const config = normalizeConfig({});
    const deps = {
      db: hh.db,
      money: hh.money,
      clock: hh.clock,
      log: silentLogger,
      config,
      host: nodeHost(hh.db, undefined, { lookup }),
    };
    const before = hits;
    expect(await deliverAlerts(deps)).toBe(1);
    expect(hits).toBe(before);
    const d = await hh.money.all<{ status: string; last_error: string }>(
      'SELECT status, last_error FROM alert_deliveries',
    );
    expect(d).toEqual([{ status: 'pending', last_error: expect.stringMatching(/refused: .*127\.0\.0\.1/) }]);
    await hh.close();
  });

  it('follows no redirect: a 302 from an allowed receiver is a failed attempt', async () => {
    const env = { ALERT_WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32' };
    const hh = await createHarness({ lookup, env });
    const key = await hh.partner('acme');
    await hh.waba(key, { waba_id: 'W1', timezone: 'UTC' }, ['P1']);
    const s = await hh.json('POST', '/v1/alert-subscriptions', {
      token: key,
      body: { url: `http://127.0.0.1:${port}/redirect` },
    });
    expect(s.status).toBe(201);
    await hh.money.transaction((tx) =>
      raiseAlert(tx, { phone_number_id: 'P1', kind: 'renewal_failed', message: 'x', now: hh.clock.now() }),
    );
    const config = normalizeConfig(env);
    const deps = {
      db: hh.db,
      money: hh.money,
      clock: hh.clock,
      log: silentLogger,
      config,
      host: nodeHost(hh.db, undefined, { lookup }),
    };
    const before = hits;
    expect(await deliverAlerts(deps)).toBe(1);
    expect(hits).toBe(before + 1); // one request, to the receiver only; the Location was not followed
    const d = await hh.money.all<{ last_error: string }>('SELECT last_error FROM alert_deliveries');
    expect(d).toEqual([{ last_error: 'HTTP 302 (redirects are not followed)' }]);
    await hh.close();
  });
});
