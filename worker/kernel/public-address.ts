/**
 * Which IP addresses an outbound webhook may reach: public unicast only, unless an operator lists a network
 * (ALERT_WEBHOOK_ALLOW_NETWORKS). Loopback, private, carrier-grade NAT, link-local (169.254.0.0/16, where cloud
 * metadata lives), unique-local and site-local IPv6, multicast, documentation and reserved ranges are refused,
 * and so is an IPv4 address hidden in an IPv6 one (mapped, NAT64, 6to4). Pure TypeScript, so the check is the
 * same wherever it runs.
 */

/** An address as 4 (IPv4) or 16 (IPv6) bytes, or null when the text is not an IP address. */
export function parseIp(text: string): Uint8Array | null {
  const t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return t.includes(':') ? parseV6(t) : parseV4(t);
}

function parseV4(t: string): Uint8Array | null {
  const parts = t.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? '';
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    out[i] = Number(p);
  }
  return out;
}

function parseV6(t: string): Uint8Array | null {
  const zone = t.indexOf('%');
  const s = zone >= 0 ? t.slice(0, zone) : t;
  let tail: Uint8Array | null = null;
  let head = s;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail = parseV4(s.slice(lastColon + 1));
    if (!tail) return null;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return null;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = all[i] ?? '';
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    const v = parseInt(g, 16);
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  }
  if (tail) out.set(tail, 12);
  return out;
}

type Range = readonly [bytes: readonly number[], bits: number];

// IPv4 ranges that are not public unicast (RFC 6890 and its updates).
const V4_BLOCKED: readonly Range[] = [
  [[0], 8],
  [[10], 8],
  [[100, 64], 10],
  [[127], 8],
  [[169, 254], 16],
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 0, 2], 24],
  [[192, 88, 99], 24],
  [[192, 168], 16],
  [[198, 18], 15],
  [[198, 51, 100], 24],
  [[203, 0, 113], 24],
  [[224], 4],
  [[240], 4],
];
// IPv6 inside 2000::/3 that is still not public: protocol assignments (Teredo included) and documentation.
const V6_BLOCKED: readonly Range[] = [
  [[0x20, 0x01, 0x00, 0x00], 23],
  [[0x20, 0x01, 0x0d, 0xb8], 32],
  [[0x3f, 0xff], 20],
];

function inRange(addr: Uint8Array, [bytes, bits]: Range): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((addr[i / 8] ?? 0) & mask) !== ((bytes[i / 8] ?? 0) & mask)) return false;
  }
  return true;
}

/** True for an address on the public internet (unicast, not reserved); false for anything else or non-IPs. */
export function isPublicAddress(text: string): boolean {
  const a = parseIp(text);
  if (!a) return false;
  if (a.length === 4) return !V4_BLOCKED.some((r) => inRange(a, r));
  // IPv4 carried inside IPv6 is judged as that IPv4 address.
  const embedded =
    inRange(a, [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96]) || inRange(a, [[0, 0x64, 0xff, 0x9b], 96])
      ? a.slice(12)
      : inRange(a, [[0x20, 0x02], 16])
        ? a.slice(2, 6)
        : null;
  if (embedded) return !V4_BLOCKED.some((r) => inRange(embedded, r));
  return inRange(a, [[0x20], 3]) && !V6_BLOCKED.some((r) => inRange(a, r));
}

/** Parses "10.0.0.0/8" or "fd00::/8" into a range; null when it is not a CIDR. */
export function parseCidr(text: string): Range | null {
  const [ip, bits, extra] = text.trim().split('/');
  if (extra !== undefined || ip === undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return null;
  const a = parseIp(ip);
  if (!a || Number(bits) > a.length * 8) return null;
  return [[...a], Number(bits)];
}

/** Whether a webhook may connect to this address: public, or inside a network the operator allowed. */
export function addressAllowed(text: string, allowNetworks: readonly string[] = []): boolean {
  if (isPublicAddress(text)) return true;
  const a = parseIp(text);
  if (!a) return false;
  return allowNetworks.some((n) => {
    const r = parseCidr(n);
    return r !== null && r[0].length === a.length && inRange(a, r);
  });
}
