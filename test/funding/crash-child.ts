/**
 * Child process of crash-recovery.test.ts: opens a DuckDB file, confirms a 40.00 top-up through the real app,
 * prints the top-up id and then idles until the parent kills it with SIGKILL (no clean shutdown).
 */
import { buildAppServices, withDomainContext } from '../../worker/app-services.js';
import { createApp } from '../../worker/app.js';
import { ManualClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import { openStore } from '../../worker/pricing/open-store.js';
import { silentLogger } from '../../worker/env.js';
import { nodeHost } from '../../worker/node-host.js';

const path = process.argv[2] as string;
const db = await openStore({ path }, new Date());
const config = normalizeConfig({ ADMIN_TOKEN: 'admin', DB_PATH: path, DEMO_DATA: 'false' });
const app = createApp(
  withDomainContext({
    db,
    clock: new ManualClock('2025-08-15T12:00:00Z'),
    config,
    log: silentLogger,
    host: nodeHost(db),
    services: buildAppServices(db, config),
  }),
);

async function call(
  method: string,
  url: string,
  token: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const res = await app.request(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const partner = await call('POST', '/v1/partners', 'admin', { partner_id: 'acme', name: 'Acme' });
const key = partner.api_key as string;
await call('POST', '/v1/wabas', key, {
  waba_id: 'W1',
  name: 'W1',
  timezone: 'Europe/Berlin',
  currency: 'EUR',
});
await call('POST', '/v1/phone-numbers', key, { phone_number_id: 'P1', waba_id: 'W1' });
const q = await call('POST', '/v1/phone-numbers/P1/funds/quotes', key, {
  mode: 'one_time',
  amount: '40',
  payment_method: 'card',
});
const c = await call(
  'POST',
  '/v1/phone-numbers/P1/funds',
  key,
  { quote_id: q.quote_id },
  { 'idempotency-key': 'crash-1' },
);
process.stdout.write(`${JSON.stringify({ topup_id: c.topup_id })}\n`);
setInterval(() => undefined, 60_000);
