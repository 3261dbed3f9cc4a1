/**
 * Checks an alert-subscription URL when it is saved: http(s) only, no credentials in it, and a host that is a
 * public address or a name whose every address is public (networks in ALERT_WEBHOOK_ALLOW_NETWORKS excepted).
 * Names that only mean something inside a network (localhost, single labels, .local, .internal) are refused
 * outright. Delivery checks the resolved address again (DNS can change in between); see deliver-alerts.
 */
import { ValidationError } from '../errors.js';
import { addressAllowed, parseIp } from '../kernel/public-address.js';

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa)$/;

function refuse(reason: string): never {
  throw new ValidationError('The webhook URL is not allowed.', [{ column: 'url', reason }]);
}

export async function checkWebhookUrl(
  raw: string,
  opts: { allowNetworks: readonly string[]; lookup?: ((hostname: string) => Promise<string[]>) | undefined },
): Promise<void> {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    refuse('must be an absolute http(s) URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') refuse('must be an http(s) URL');
  if (u.username || u.password) refuse('must not carry credentials');
  const host = u.hostname.toLowerCase().replace(/\.$/, '');
  if (parseIp(host)) {
    if (!addressAllowed(host, opts.allowNetworks))
      refuse(`${host} is a loopback, private, link-local or reserved address`);
    return;
  }
  if (!host.includes('.') || LOCAL_NAMES.test(host)) refuse(`${host} is not a public host name`);
  if (!opts.lookup) return;
  let addresses: string[];
  try {
    addresses = await opts.lookup(host);
  } catch {
    refuse(`${host} does not resolve`);
  }
  if (addresses.length === 0) refuse(`${host} does not resolve`);
  const bad = addresses.find((a) => !addressAllowed(a, opts.allowNetworks));
  if (bad !== undefined)
    refuse(`${host} resolves to ${bad}, a loopback, private, link-local or reserved address`);
}
