/**
 * Node-only: POSTs an outbound webhook to a checked address. The host name is resolved once (through an
 * injectable lookup), every address it resolves to must be allowed, and the connection goes to that checked
 * address (so a second, rebinding answer of the DNS cannot redirect it); TLS still verifies the name.
 * Redirects are never followed: a 3xx is an answer like any other.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { WebhookRequest } from '../kernel/host-io.js';

/** Resolves a host name to all its addresses. */
export type LookupHost = (hostname: string) => Promise<string[]>;

export const systemLookup: LookupHost = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((r) => r.address);

export async function postWebhook(
  url: string,
  req: WebhookRequest,
  lookup: LookupHost,
): Promise<{ status: number }> {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`refused: ${u.protocol} is not http(s)`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await lookup(host);
  const address = addresses[0];
  if (address === undefined) throw new Error(`${host} does not resolve`);
  const refused = addresses.find((a) => !req.allowed(a));
  if (refused !== undefined) throw new Error(`refused: ${host} resolves to ${refused}, not a public address`);
  const family = isIP(address);
  const pinned = ((_name: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (options.all) cb(null, [{ address, family }]);
    else cb(null, address, family);
  }) as unknown as LookupFunction;
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = send(
      u,
      {
        method: 'POST',
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        lookup: pinned,
        timeout: req.timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}
