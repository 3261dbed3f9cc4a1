/**
 * The Node service as a Cloudflare Container, behind a Durable Object class the edge Worker exports
 * (wrangler.toml [[containers]]). The container's disk is ephemeral, so the object refuses to start one unless
 * its money lives in Postgres (DATABASE_URL) and its ingest lake has a durable copy in R2 (INGEST_LAKE_URL and the
 * S3_* keys of R2's S3 API): a container that comes back on a fresh disk restores its analytics from the lake
 * (RESTORE_FROM_LAKE) and finds its money where it left it. The settings are the Worker's secrets and variables,
 * handed to the container at start; nothing else of the Worker's environment goes in.
 *
 * One object per name: `writer` is the analytics writer (the usage source: ingest, intake, reconciliation go to
 * it), `replica-<n>` serve everything else, all on the one money plane. Only what workerd offers is used here
 * (ctx.container), no package: the low-level container API of a Durable Object.
 */

/** The low-level container of a container-enabled Durable Object (ctx.container). */
export interface ContainerApi {
  readonly running: boolean;
  start(options?: { env?: Record<string, string>; enableInternet?: boolean }): void;
  getTcpPort(port: number): { fetch(input: Request | string, init?: RequestInit): Promise<Response> };
}

export interface ContainerState {
  readonly id: { readonly name?: string; toString(): string };
  readonly container?: ContainerApi;
}

/** The Worker's settings the container needs (secrets: `wrangler secret put NAME`). */
export interface ServiceSettings {
  readonly DATABASE_URL?: string;
  readonly ADMIN_TOKEN?: string;
  readonly SIGNING_SECRET?: string;
  readonly INGEST_LAKE_URL?: string;
  readonly S3_ENDPOINT?: string;
  readonly S3_ACCESS_KEY_ID?: string;
  readonly S3_SECRET_ACCESS_KEY?: string;
  readonly S3_REGION?: string;
}

/** The port the image listens on (Dockerfile: PORT=8787). */
export const SERVICE_PORT = 8787;
export const WRITER = 'writer';

const REQUIRED = [
  'DATABASE_URL',
  'ADMIN_TOKEN',
  'SIGNING_SECRET',
  'INGEST_LAKE_URL',
  'S3_ENDPOINT',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
] as const;

/**
 * The container's environment for the object `name`, or what is missing. Money in Postgres and the lake in R2
 * are not optional here: on an ephemeral disk either default would lose data at the next restart.
 */
export function containerEnv(
  settings: ServiceSettings,
  name: string,
): { env: Record<string, string> } | { missing: string[] } {
  const missing = REQUIRED.filter((k) => !settings[k]);
  if (missing.length > 0) return { missing };
  const env: Record<string, string> = {
    STORE: 'postgres',
    RESTORE_FROM_LAKE: 'true',
    REPLICA_ID: name,
    // The writer takes the usage-source claim back from the store it restored (with the lake in R2: the writer
    // lease, from whichever container won it while the writer was down); the replicas only compete for it.
    CLAIM_USAGE_SOURCE: name === WRITER ? 'true' : 'false',
    S3_REGION: settings.S3_REGION || 'auto',
  };
  for (const k of REQUIRED) env[k] = settings[k]!;
  return { env };
}

const READY_WAIT_MS = 120_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class ConvoInsightsService {
  private ready: Promise<void> | null = null;

  constructor(
    private readonly ctx: ContainerState,
    private readonly settings: ServiceSettings,
  ) {}

  async fetch(req: Request): Promise<Response> {
    const container = this.ctx.container;
    if (!container) return problem(500, 'This Durable Object has no container binding (wrangler.toml).');
    const name = this.ctx.id.name ?? WRITER;
    if (!container.running || !this.ready) {
      const composed = containerEnv(this.settings, name);
      if ('missing' in composed)
        return problem(
          503,
          `The service cannot start: set ${composed.missing.join(', ')} (wrangler secret put). Without ` +
            'Postgres and the lake in R2 its data would live on the container’s ephemeral disk.',
        );
      this.ready = this.start(container, composed.env);
    }
    try {
      await this.ready;
    } catch (err) {
      this.ready = null;
      return problem(503, `The service did not start: ${err instanceof Error ? err.message : String(err)}`);
    }
    return container.getTcpPort(SERVICE_PORT).fetch(req);
  }

  /** Starts the container and waits until it answers its health check (a restore from the lake takes a while). */
  private async start(container: ContainerApi, env: Record<string, string>): Promise<void> {
    if (!container.running) container.start({ env, enableInternet: true });
    const port = container.getTcpPort(SERVICE_PORT);
    const until = Date.now() + READY_WAIT_MS;
    for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
      try {
        if ((await port.fetch('http://container/v1/health')).ok) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > until)
        throw new Error(`no answer from port ${SERVICE_PORT} within ${READY_WAIT_MS} ms`);
      await sleep(wait);
    }
  }
}

function problem(status: number, detail: string): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status, detail }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}
