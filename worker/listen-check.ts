/**
 * Start-up problems of the Node host said in one line each, without a stack trace: a port already taken, an
 * address that cannot be bound, and the demo-mode warning.
 */
import { createServer } from 'node:net';
import { DEV_SIGNING_SECRET, type Config } from './config.js';

/** One line for a listen error, or null when it is not one of the expected ones. */
export function listenErrorLine(err: unknown, host: string, port: number): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE')
    return `cannot listen on ${host}:${port}: the address is already in use (set PORT)`;
  if (code === 'EACCES') return `cannot listen on ${host}:${port}: permission denied (set PORT above 1023)`;
  if (code === 'EADDRNOTAVAIL')
    return `cannot listen on ${host}:${port}: the address is not available (set HOST)`;
  return null;
}

/**
 * Binds host:port once and lets go, so a taken port is reported at once rather than after the store is opened
 * and demo data loaded. Resolves null when the port is free, else the error.
 */
export function probeListen(host: string, port: number): Promise<unknown> {
  if (port === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err) => resolve(err));
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
}

/** The warning printed at every start in demo mode. */
export function demoModeWarning(config: Config): string {
  const reach = ['127.0.0.1', 'localhost', '::1'].includes(config.host)
    ? `bound to ${config.host} only`
    : `bound to ${config.host}, REACHABLE FROM OTHER MACHINES`;
  return (
    `WARNING: DEMO MODE (${reach}): embed tokens and payment events are signed with ` +
    `${config.signingSecret === DEV_SIGNING_SECRET ? 'the published development secret' : 'SIGNING_SECRET'}, ` +
    `${config.demoData ? 'the demo API key is published and /demo/embed-token mints tokens without a login' : 'no demo data'}. ` +
    'Never expose this instance.'
  );
}
