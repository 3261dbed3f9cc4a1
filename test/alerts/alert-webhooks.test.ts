/** Alerts: once per crossing with re-arming, the feed, and signed webhook deliveries retried with backoff. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256Hex } from '../../worker/auth/crypto.js';
import { clearAlert, raiseAlert } from '../../worker/alerts/alert-table.js';
import { deliverAlerts } from '../../worker/funding/deliver-alerts.js';
import { silentLogger } from '../../worker/env.js';
import { nodeHost } from '../../worker/node-host.js';
import { createFixture, type Fixture } from '../funding/fixtures.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('alerts', () => {
  let f: Fixture;
  const received: Received[] = [];
  let failNext = 1;
  let url = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = failNext-- > 0 ? 500 : 200;
      res.end('ok');
    });
  });
  beforeAll(async () => {
    // The receiver is on loopback, which only an operator-listed network makes reachable.
    f = await createFixture(['P1', 'P2'], undefined, { ALERT_WEBHOOK_ALLOW_NETWORKS: '127.0.0.1/32' });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await f.h.close();
  });

  it('manages subscriptions (secret shown once)', async () => {
    const c = await f.json('POST', '/v1/alert-subscriptions', {
      body: { url, secret: 'a-very-secret-value-123' },
    });
    expect(c.status).toBe(201);
    expect(c.body.secret).toBe('a-very-secret-value-123');
    const extra = await f.json('POST', '/v1/alert-subscriptions', { body: { url: 'http://127.0.0.1:1/x' } });
    expect(extra.body.secret).toMatch(/^whsec_/);
    const del = await f.h.call('DELETE', `/v1/alert-subscriptions/${extra.body.subscription_id}`, {
      token: f.key,
    });
    expect(del.status).toBe(204);
    const list = await f.json('GET', '/v1/alert-subscriptions');
    expect(list.body.subscriptions).toEqual([
      {
        subscription_id: c.body.subscription_id,
        partner_id: 'acme',
        url,
        created_at: '2025-08-15T12:00:00.000Z',
      },
    ]);
  });

  it('fires low_balance once per crossing and re-arms on recovery', async () => {
    await f.fund('P1', '30');
    await f.json('PUT', '/v1/phone-numbers/P1/auto-renewal', {
      body: { enabled: false, threshold: '5', amount: '50', low_balance_threshold: '20' },
    });
    await f.charge('P1', '2025-08-15', '12'); // 18 ≤ 20 → alert
    await f.charge('P1', '2025-08-15', '1'); // 17: still low, no second alert
    await f.fund('P1', '10'); // 27
    await f.charge('P1', '2025-08-16', '0.01'); // a ledger change above the level re-arms
    await f.charge('P1', '2025-08-16', '8'); // 18.99 → fires again
    const feed = (await f.json('GET', '/v1/alerts?kind=low_balance')).body.alerts;
    expect(feed.map((a: { data: { balance: string } }) => a.data.balance)).toEqual([
      '18.990000',
      '18.000000',
    ]);
  });

  it('offers raiseAlert/clearAlert for runway_short (once until cleared)', async () => {
    const now = f.h.clock.now();
    const a = {
      phone_number_id: 'P2',
      kind: 'runway_short' as const,
      message: 'runs out before renewal',
      now,
    };
    const ids = await f.h.money.transaction(async (tx) => [await raiseAlert(tx, a), await raiseAlert(tx, a)]);
    expect(ids[0]).toMatch(/^al_/);
    expect(ids[1]).toBeNull();
    await f.h.money.transaction((tx) => clearAlert(tx, 'P2', 'runway_short', now));
    expect(await f.h.money.transaction((tx) => raiseAlert(tx, a))).toMatch(/^al_/);
  });

  it('delivers signed webhooks, retrying a failure after the backoff', async () => {
    const deps = {
      db: f.h.db,
      money: f.h.money,
      clock: f.h.clock,
      log: silentLogger,
      config: f.config,
      host: nodeHost(f.h.db),
    };
    const pending = await f.h.money.all<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM alert_deliveries WHERE status = 'pending'",
    );
    expect(pending).toEqual([{ n: 4 }]); // 2 low_balance + 2 runway_short, one live subscription
    expect(await deliverAlerts(deps)).toBe(4); // the first answer is a 500
    expect(received).toHaveLength(4);
    expect(await deliverAlerts(deps)).toBe(0); // backoff: not due yet
    f.h.clock.advance(10_000);
    expect(await deliverAlerts(deps)).toBe(1);
    expect(received).toHaveLength(5);
    const states = await f.h.money.all(
      'SELECT status, attempts FROM alert_deliveries ORDER BY status, attempts',
    );
    expect(states).toEqual([
      { status: 'delivered', attempts: 1 },
      { status: 'delivered', attempts: 1 },
      { status: 'delivered', attempts: 1 },
      { status: 'delivered', attempts: 2 },
    ]);
    for (const r of received) {
      expect(r.headers['x-signature']).toBe(
        `sha256=${await hmacSha256Hex('a-very-secret-value-123', r.body)}`,
      );
    }
    const first = JSON.parse(received[0]!.body) as Record<string, unknown>;
    expect(first).toMatchObject({ kind: 'low_balance', partner_id: 'acme', phone_number_id: 'P1' });
    expect(received[4]!.body).toBe(received[0]!.body); // the retry is the same signed payload
  });
});
