/**
 * The send gate benchmark's tenant, made through the public API as a partner would: one partner, a CBP WABA
 * (per-message pricing from 2099) and a PMP WABA, one number on each (PCBP, PPMP). Over CBP a template inside
 * the seeded open conversations is free; over PMP every marketing template is paid: the mix has both.
 */
export const GATE_NUMBERS = ['PCBP', 'PPMP'] as const;

/** One JSON request; throws on any answer ≥ 300. */
export type ApiCall = (
  method: string,
  path: string,
  token: string,
  body: unknown,
) => Promise<Record<string, unknown>>;

/** An ApiCall over HTTP to `baseUrl` (a replica). */
export function httpCall(baseUrl: string): ApiCall {
  return async (method, path, token, body) => {
    const r = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await r.text();
    if (r.status >= 300) throw new Error(`${method} ${baseUrl}${path}: ${r.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
}

/** Creates the tenant with the admin token; the partner's API key. */
export async function createGateTenant(call: ApiCall, adminToken: string): Promise<string> {
  const partner = await call('POST', '/v1/partners', adminToken, { partner_id: 'bench', name: 'Bench' });
  const key = String(partner.api_key);
  await call('POST', '/v1/wabas', key, {
    waba_id: 'WCBP',
    name: 'cbp',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
    pmp_from: '2099-01-01',
  });
  await call('POST', '/v1/wabas', key, {
    waba_id: 'WPMP',
    name: 'pmp',
    timezone: 'Europe/Berlin',
    currency: 'EUR',
  });
  for (const [phone, waba] of [
    ['PCBP', 'WCBP'],
    ['PPMP', 'WPMP'],
  ] as const)
    await call('POST', '/v1/phone-numbers', key, { phone_number_id: phone, waba_id: waba });
  return key;
}

/**
 * One dry-run decision per number, so the first decision's load of the number's states happens before any
 * clock runs. A replica that has not yet followed the tenancy answers 404 for a moment: retried within `boundMs`.
 */
export async function warmGateNumbers(call: ApiCall, key: string, boundMs = 30_000): Promise<void> {
  const until = Date.now() + boundMs;
  for (const phone of GATE_NUMBERS) {
    for (;;) {
      try {
        await call('POST', `/v1/phone-numbers/${phone}/messages/authorize`, key, {
          direction: 'inbound',
          recipient: '4915000000000',
          dry_run: true,
        });
        break;
      } catch (err) {
        if (Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
}
