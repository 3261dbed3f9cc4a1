/**
 * The one place that holds every default. Node reads `process.env`, Cloudflare reads `env`; both hand a plain
 * record to normalizeConfig and get the same spec back. Nothing below createApp reads the environment.
 */
import { parseCidr } from './kernel/public-address.js';

export interface FeeRule {
  /** Percentage of the top-up amount as a decimal string, e.g. "4" for 4 %. */
  readonly percent: string;
  /** Fixed fee per payment in the WABA currency, decimal string. */
  readonly fixed: string;
}

export interface Config {
  readonly port: number;
  /** Bind address of the Node host (demo mode: loopback unless HOST says otherwise). */
  readonly host: string;
  /**
   * How long the Node host keeps an idle HTTP connection open. Longer than a load balancer's idle timeout (often
   * 60 s), so the balancer, not the service, closes a connection, and a request never meets a socket the
   * service has just closed.
   */
  readonly keepAliveMs: number;
  readonly dbPath: string;
  readonly adminToken: string | null;
  /** Secret that signs embed tokens and payment webhooks of the simulated processor. */
  readonly signingSecret: string | null;
  readonly bodyLimitBytes: number;
  readonly hubUrl: string;
  /** Delay before the simulated payment processor settles a top-up, 0..30 minutes. */
  readonly settlementDelayMs: number;
  /** Simulated processor: card payments whose total exceeds this fail (DOMAIN.md §7.2 card limit); null = none. */
  readonly simulatedCardLimit: string | null;
  readonly feeSchedule: Readonly<Record<string, FeeRule>>;
  /** Payment methods offered only in some currencies (method → ISO codes); unlisted methods take every one. */
  readonly paymentMethodCurrencies: Readonly<Record<string, readonly string[]>>;
  /** Block only billable sends at zero balance (default) or every outbound send. */
  readonly gateBlocksFreeOutbound: boolean;
  /** How long the send gate may reuse a positive settled balance, ms (0 = read the ledger every time). */
  readonly gateBalanceCacheMs: number;
  /** Answer state-changing gate decisions only after DuckDB committed them (default: write-behind). */
  readonly gateWriteThrough: boolean;
  /** Write-behind: the gate writes its state changes within this many ms. */
  readonly gateFlushMs: number;
  /** A phone number whose latest unit is older than this (ms) raises one stale_data alert. */
  readonly staleDataAfterMs: number;
  /** How many customer states the gate keeps in memory; past it the least recently changed are dropped. */
  readonly gateMaxCustomers: number;
  /** The send gate's balance holds on the money plane (worker/gate/gate-holds.ts). */
  readonly gateHolds: GateHoldSettings;
  /** Where request bodies are written for DuckDB's file readers; null = the OS temp folder. */
  readonly tempDir: string | null;
  /**
   * Demo mode (DEMO_MODE=true, what `npm start` sets): the published development signing secret stands in for
   * a missing SIGNING_SECRET, no admin token is needed, demo data may load, and the host binds to loopback.
   */
  readonly demoMode: boolean;
  /** Networks (CIDRs) alert webhooks may reach besides public addresses; none by default. */
  readonly alertWebhookAllowNetworks: readonly string[];
  /** Load the demo partner and data on first start (demo mode only: its API key is published). */
  readonly demoData: boolean;
  readonly widgetsDir: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Folder of the Hive-partitioned Parquet lake written by on-demand exports. */
  readonly lakeDir: string;
  /**
   * Folder of the ingest lake: every accepted ingest batch archived as Parquet, the source `npm run rebuild`
   * replays; null = not archived. Default: `ingest-lake` beside the DuckDB file (none for an in-memory store).
   */
  readonly ingestLakeDir: string | null;
  /**
   * The ingest lake's durable copy in an object store (INGEST_LAKE_URL=s3://bucket/prefix and the S3_* settings);
   * null = the local folder only.
   */
  readonly ingestLakeRemote: IngestLakeRemote | null;
  /**
   * When the DuckDB file does not exist at start, rebuild it from the ingest lake first (its object-store copy
   * when there is one): a container whose disk was lost comes back with its analytics.
   */
  readonly restoreFromLake: boolean;
  /** Read-only SQL (POST /v1/query): limits of one query and of the sandboxes. */
  readonly query: QueryLimits;
  /** The continuous intake (POST /v1/intake/…): a durable log answered at once, derived in micro-batches. */
  readonly intake: IntakeSettings;
  /** The Postgres-SQL store of the money plane (worker/db/open-money-store.ts). */
  readonly moneyStore: MoneyStoreSettings;
  /** This replica's name in its log lines and job leases (the Node host adds its process id). */
  readonly replicaId: string;
  /**
   * With a money store several replicas share: how long a replica's lease on a background job outlives the
   * job's interval, ms — how long the job waits, at most, after its replica died, before another takes it over.
   */
  readonly jobLeaseGraceMs: number;
  /**
   * With a money store of its own: this replica takes over the claim of usage source (the analytics store whose
   * usage the ledger's charges follow) at startup, instead of claiming it only when no store holds it.
   */
  readonly claimUsageSource: boolean;
  /**
   * With a money store several replicas share and the ingest lake in an object store: the lease of the ingest
   * writer (worker/election/), ms — how long ingest waits, at most, after its writer died, before another
   * replica takes over.
   */
  readonly ingestWriterLeaseMs: number;
  /** Where other replicas' clients reach this one (named in 409 not_usage_source when it is the writer). */
  readonly replicaUrl: string | null;
  /**
   * With the ingest-writer election: how long a standby waits for the writer's answer to start when it forwards
   * ingest to the writer's REPLICA_URL, ms; 0 forwards nothing (the standby answers 409 not_usage_source).
   */
  readonly ingestForwardTimeoutMs: number;
}

/**
 * Where the money plane lives: `duckdb` = beside the analytics in the one DuckDB file (one process), PGlite
 * (Postgres in this process, files in a folder; null = in memory) or a Postgres server shared by replicas.
 */
export interface IngestLakeRemote {
  /** s3://bucket/prefix as set, for messages (it holds no credential). */
  readonly url: string;
  readonly bucket: string;
  /** Key prefix without slashes at either end; '' = the bucket's root. */
  readonly prefix: string;
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export type MoneyStoreSettings =
  | { readonly kind: 'duckdb' }
  | { readonly kind: 'pglite'; readonly dir: string | null }
  | { readonly kind: 'postgres'; readonly url: string };

export interface IntakeSettings {
  /**
   * Folder of the intake log; null = no continuous intake (its routes answer 503). Default: `intake` beside the
   * DuckDB file (none for an in-memory store).
   */
  readonly dir: string | null;
  /** How often the micro-batcher derives what was accepted, ms. */
  readonly intervalMs: number;
  /** Events derived in one transaction at most (a longer backlog is derived in several). */
  readonly maxBatchEvents: number;
  /** Events accepted but not derived yet at most; beyond that new events are refused with 503. */
  readonly maxPendingEvents: number;
  /** How long derived log segments are kept, so that a repeated event is still known as one, ms. */
  readonly retainMs: number;
  /** Records one request of POST /v1/intake/records may carry; larger batches go to POST /v1/ingest (413). */
  readonly maxRecords: number;
  /** Bytes one request of POST /v1/intake/records may carry (413 above, pointing to POST /v1/ingest). */
  readonly maxRecordBytes: number;
}

export interface QueryLimits {
  /** A query running longer is interrupted (422). */
  readonly timeoutMs: number;
  /** DuckDB memory_limit of each tenant sandbox, MB (nothing spills to disk). */
  readonly memoryLimitMb: number;
  /** Rows answered at most; more are cut and flagged as truncated. */
  readonly maxRows: number;
  /** Queries running at once across tenants (each on one DuckDB thread). */
  readonly concurrency: number;
  /** Queries waiting for a slot; beyond it the answer is 429 with Retry-After. */
  readonly queue: number;
  /** How long a tenant's sandbox (a snapshot of its rows) is reused, ms (0 = a fresh one per query). */
  readonly cacheMs: number;
}

/** How the send gate reserves balance for paid sends (README "Send gate"). */
export interface GateHoldSettings {
  /** The most paid sends one hold covers (GATE_HOLD_SENDS). */
  readonly sends: number;
  /** How long a hold's unused part stays reserved, ms (GATE_HOLD_TTL_MS). */
  readonly ttlMs: number;
  /** A hold not spent from for this long is given back, ms (GATE_HOLD_IDLE_MS). */
  readonly idleMs: number;
  /** A spent part whose charges never post stops counting this long after its last send, ms. */
  readonly backstopMs: number;
  /** 'each': a paid decision's spend is committed before its answer; 'lease': when the hold is given back. */
  readonly record: 'each' | 'lease';
}

export type ConfigInput = Readonly<Record<string, string | undefined>>;

const defaults = {
  port: 8787,
  host: '0.0.0.0',
  keepAliveMs: 65_000,
  demoHost: '127.0.0.1',
  dbPath: '.data/convo-insights.duckdb',
  adminToken: null,
  signingSecret: null,
  bodyLimitBytes: 100 * 1024 * 1024,
  hubUrl: 'https://hub.example.com',
  settlementDelayMs: 30 * 60 * 1000,
  simulatedCardLimit: null,
  feeSchedule: {
    card: { percent: '4', fixed: '0' },
    bank_transfer: { percent: '0', fixed: '0' },
    pix: { percent: '0', fixed: '0' },
  },
  paymentMethodCurrencies: { pix: ['BRL'] },
  gateBlocksFreeOutbound: false,
  gateBalanceCacheMs: 1000,
  gateWriteThrough: false,
  gateFlushMs: 250,
  staleDataAfterMs: 24 * 60 * 60 * 1000,
  gateMaxCustomers: 100_000,
  gateHolds: { sends: 1000, ttlMs: 3000, idleMs: 1000, backstopMs: 24 * 3_600_000 },
  tempDir: null,
  demoMode: false,
  alertWebhookAllowNetworks: [],
  demoData: false,
  widgetsDir: 'widgets/dist',
  logLevel: 'info',
  lakeDir: '.data/lake',
  ingestLakeFolder: 'ingest-lake',
  s3Region: 'auto',
  restoreFromLake: false,
  intakeFolder: 'intake',
  moneyStoreFolder: 'money-pglite',
  replicaId: 'replica',
  jobLeaseGraceMs: 10_000,
  claimUsageSource: false,
  ingestWriterLeaseMs: 10_000,
  replicaUrl: null,
  ingestForwardTimeoutMs: 120_000,
  intake: {
    intervalMs: 1000,
    maxBatchEvents: 20_000,
    maxPendingEvents: 1_000_000,
    retainMs: 24 * 3_600_000,
    maxRecords: 1000,
    maxRecordBytes: 1_048_576,
  },
  query: {
    timeoutMs: 10_000,
    memoryLimitMb: 256,
    maxRows: 100_000,
    concurrency: 2,
    queue: 200,
    cacheMs: 30_000,
  },
} satisfies Omit<Config, 'ingestLakeDir' | 'ingestLakeRemote' | 'intake' | 'moneyStore' | 'gateHolds'> & {
  gateHolds: Omit<GateHoldSettings, 'record'>;
  demoHost: string;
  ingestLakeFolder: string;
  intakeFolder: string;
  moneyStoreFolder: string;
  s3Region: string;
  intake: Omit<IntakeSettings, 'dir'>;
};

/** The published development secret: it signs only in demo mode and is refused as SIGNING_SECRET otherwise. */
export const DEV_SIGNING_SECRET = 'dev-signing-secret-change-me';
/** What a production start needs at least: an HMAC key of 32 characters, an admin token of 16. */
export const MIN_SIGNING_SECRET_LENGTH = 32;
export const MIN_ADMIN_TOKEN_LENGTH = 16;

export class ConfigError extends Error {}

function intIn(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function bool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function feeSchedule(raw: string | undefined): Record<string, FeeRule> {
  if (raw === undefined || raw === '') return defaults.feeSchedule;
  // FEE_SCHEDULE="card:4:0.30,bank_transfer:0:0" → method:percent:fixed
  const out: Record<string, FeeRule> = {};
  for (const part of raw.split(',')) {
    const [method, percent, fixed = '0'] = part.split(':').map((s) => s.trim());
    if (
      !method ||
      !/^[a-z_]+$/.test(method) ||
      !percent ||
      !/^\d+(\.\d+)?$/.test(percent) ||
      !/^\d+(\.\d+)?$/.test(fixed)
    ) {
      throw new ConfigError(`FEE_SCHEDULE entry "${part}" must look like method:percent[:fixed]`);
    }
    out[method] = { percent, fixed };
  }
  return out;
}

function methodCurrencies(raw: string | undefined): Record<string, readonly string[]> {
  if (raw === undefined || raw === '') return defaults.paymentMethodCurrencies;
  // PAYMENT_METHOD_CURRENCIES="pix:BRL,upi:INR" → method:CUR[|CUR…]; "none" offers every method everywhere.
  if (raw.trim() === 'none') return {};
  const out: Record<string, readonly string[]> = {};
  for (const part of raw.split(',')) {
    const [method, list = ''] = part.split(':').map((s) => s.trim());
    const codes = list.split('|').map((s) => s.trim().toUpperCase());
    if (!method || !/^[a-z_]+$/.test(method) || !codes.every((c) => /^[A-Z]{3}$/.test(c))) {
      throw new ConfigError(`PAYMENT_METHOD_CURRENCIES entry "${part}" must look like method:CUR[|CUR]`);
    }
    out[method] = codes;
  }
  return out;
}

function decimalOrNull(name: string, raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(raw))
    throw new ConfigError(`${name} must be a decimal amount, got "${raw}"`);
  return raw;
}

function cidrList(name: string, raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [...defaults.alertWebhookAllowNetworks];
  const out = raw.split(',').map((s) => s.trim());
  const bad = out.find((c) => parseCidr(c) === null);
  if (bad !== undefined) throw new ConfigError(`${name} entry "${bad}" must be a CIDR such as 10.1.2.0/24`);
  return out;
}

function signingSecret(raw: string | undefined, demoMode: boolean): string | null {
  if (raw === undefined || raw === '') return demoMode ? DEV_SIGNING_SECRET : defaults.signingSecret;
  if (raw === DEV_SIGNING_SECRET && !demoMode)
    throw new ConfigError('SIGNING_SECRET is the published development value; set a secret of your own');
  return raw;
}

/** A folder setting, `off` for none; unset: `folder` beside a DuckDB file, none for an in-memory store. */
function besideDb(raw: string | undefined, dbPath: string, folder: string): string | null {
  if (raw === 'off') return null;
  if (raw) return raw;
  if (dbPath === ':memory:') return null;
  const slash = dbPath.lastIndexOf('/');
  return slash < 0 ? folder : `${dbPath.slice(0, slash + 1)}${folder}`;
}

function intakeSettings(env: ConfigInput, dbPath: string): IntakeSettings {
  const d = defaults.intake;
  return {
    dir: besideDb(env.INTAKE_DIR, dbPath, defaults.intakeFolder),
    intervalMs: intIn('INTAKE_INTERVAL_MS', env.INTAKE_INTERVAL_MS, d.intervalMs, 10, 5_000),
    maxBatchEvents: intIn('INTAKE_MAX_BATCH', env.INTAKE_MAX_BATCH, d.maxBatchEvents, 1, 1_000_000),
    maxPendingEvents: intIn('INTAKE_MAX_PENDING', env.INTAKE_MAX_PENDING, d.maxPendingEvents, 1, 100_000_000),
    retainMs: intIn('INTAKE_RETAIN_MS', env.INTAKE_RETAIN_MS, d.retainMs, 0, 30 * 24 * 3_600_000),
    maxRecords: intIn('INTAKE_MAX_RECORDS', env.INTAKE_MAX_RECORDS, d.maxRecords, 1, 100_000),
    maxRecordBytes: intIn(
      'INTAKE_MAX_RECORD_BYTES',
      env.INTAKE_MAX_RECORD_BYTES,
      d.maxRecordBytes,
      1024,
      64 * 1_048_576,
    ),
  };
}

function moneyStore(env: ConfigInput, dbPath: string): MoneyStoreSettings {
  const url = env.DATABASE_URL || undefined;
  const pgliteDir = env.PGLITE_DIR || undefined;
  const kind = env.STORE || (url ? 'postgres' : 'duckdb');
  if (pgliteDir && kind !== 'pglite')
    throw new ConfigError(`PGLITE_DIR is set but STORE=${kind}: unset one of them`);
  if (kind === 'duckdb') {
    if (url) throw new ConfigError('DATABASE_URL is set but STORE=duckdb: unset one of them');
    return { kind };
  }
  if (kind === 'pglite') {
    if (url) throw new ConfigError('DATABASE_URL is set but STORE=pglite: unset one of them');
    return { kind, dir: besideDb(pgliteDir, dbPath, defaults.moneyStoreFolder) };
  }
  if (kind !== 'postgres') throw new ConfigError(`STORE must be duckdb, pglite or postgres, got "${kind}"`);
  if (!url)
    throw new ConfigError('STORE=postgres needs DATABASE_URL (postgres://user:password@host:5432/db)');
  // The URL holds a password: the errors describe it and never repeat it.
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(
      'DATABASE_URL is not a URL; it must look like postgres://user:password@host:5432/db',
    );
  }
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol) || parsed.hostname === '')
    throw new ConfigError('DATABASE_URL must be postgres://user:password@host[:port]/database');
  return { kind, url };
}

// Spends are committed one by one where other processes share the money plane (a replica killed mid-hold then
// leaves exactly what it spent); with one process a clean stop gives holds back and a crash keeps them whole.
function gateHolds(env: ConfigInput, store: MoneyStoreSettings['kind']): GateHoldSettings {
  const d = defaults.gateHolds;
  const record = env.GATE_HOLD_RECORD || (store === 'postgres' ? 'each' : 'lease');
  if (record !== 'each' && record !== 'lease')
    throw new ConfigError(`GATE_HOLD_RECORD must be each or lease, got "${record}"`);
  const ttlMs = intIn('GATE_HOLD_TTL_MS', env.GATE_HOLD_TTL_MS, d.ttlMs, 200, 600_000);
  return {
    sends: intIn('GATE_HOLD_SENDS', env.GATE_HOLD_SENDS, d.sends, 1, 100_000),
    ttlMs,
    idleMs: intIn('GATE_HOLD_IDLE_MS', env.GATE_HOLD_IDLE_MS, d.idleMs, 10, 600_000),
    backstopMs: intIn(
      'GATE_HOLD_BACKSTOP_MS',
      env.GATE_HOLD_BACKSTOP_MS,
      d.backstopMs,
      1000,
      30 * 86_400_000,
    ),
    record,
  };
}

function ingestLakeRemote(env: ConfigInput, localDir: string | null): IngestLakeRemote | null {
  const url = env.INGEST_LAKE_URL || undefined;
  const s3 = ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;
  if (!url) {
    const stray = [...s3, 'S3_REGION' as const].filter((k) => env[k]);
    if (stray.length > 0) throw new ConfigError(`${stray.join(', ')} set without INGEST_LAKE_URL`);
    return null;
  }
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/([A-Za-z0-9._\-/]*))?$/.exec(url);
  if (!m) throw new ConfigError(`INGEST_LAKE_URL must be s3://bucket or s3://bucket/prefix, got "${url}"`);
  if (localDir === null)
    throw new ConfigError('INGEST_LAKE_URL needs a local ingest lake folder (INGEST_LAKE_DIR, its spool)');
  const missing = s3.filter((k) => !env[k]);
  if (missing.length > 0) throw new ConfigError(`INGEST_LAKE_URL needs ${missing.join(', ')}`);
  const endpoint = env.S3_ENDPOINT!;
  if (!/^https?:\/\/[^/\s]+\/?$/.test(endpoint))
    throw new ConfigError(
      'S3_ENDPOINT must be http(s)://host[:port], e.g. https://<account>.r2.cloudflarestorage.com',
    );
  return {
    url,
    bucket: m[1]!,
    prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, ''),
    endpoint,
    region: env.S3_REGION || defaults.s3Region,
    accessKeyId: env.S3_ACCESS_KEY_ID!,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
  };
}

function replicaId(raw: string): string {
  if (!/^[A-Za-z0-9._-]{1,255}$/.test(raw))
    throw new ConfigError(`REPLICA_ID must be 1 to 255 letters, digits, '.', '_' or '-', got "${raw}"`);
  return raw;
}

function replicaUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  if (!/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(raw))
    throw new ConfigError(`REPLICA_URL must be an http(s)://host[:port] address, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** Turns an environment-like record into a complete, checked configuration. */
export function normalizeConfig(env: ConfigInput = {}): Config {
  const demoMode = bool('DEMO_MODE', env.DEMO_MODE, defaults.demoMode);
  const demoData = bool('DEMO_DATA', env.DEMO_DATA, demoMode || defaults.demoData);
  if (demoData && !demoMode)
    throw new ConfigError("DEMO_DATA=true needs DEMO_MODE=true (the demo partner's API key is published)");
  const lakeDir = besideDb(env.INGEST_LAKE_DIR, env.DB_PATH || defaults.dbPath, defaults.ingestLakeFolder);
  const level = env.LOG_LEVEL ?? defaults.logLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level))
    throw new ConfigError(`LOG_LEVEL "${level}" is unknown`);
  return {
    port: intIn('PORT', env.PORT, defaults.port, 0, 65535),
    host: env.HOST || (demoMode ? defaults.demoHost : defaults.host),
    keepAliveMs: intIn('KEEP_ALIVE_MS', env.KEEP_ALIVE_MS, defaults.keepAliveMs, 1000, 600_000),
    dbPath: env.DB_PATH || defaults.dbPath,
    adminToken: env.ADMIN_TOKEN || defaults.adminToken,
    signingSecret: signingSecret(env.SIGNING_SECRET, demoMode),
    bodyLimitBytes: intIn('BODY_LIMIT_BYTES', env.BODY_LIMIT_BYTES, defaults.bodyLimitBytes, 1024, 2 ** 31),
    hubUrl: env.HUB_URL || defaults.hubUrl,
    settlementDelayMs: intIn(
      'SETTLEMENT_DELAY_MS',
      env.SETTLEMENT_DELAY_MS,
      defaults.settlementDelayMs,
      0,
      30 * 60 * 1000,
    ),
    simulatedCardLimit: decimalOrNull('SIMULATED_CARD_LIMIT', env.SIMULATED_CARD_LIMIT),
    feeSchedule: feeSchedule(env.FEE_SCHEDULE),
    paymentMethodCurrencies: methodCurrencies(env.PAYMENT_METHOD_CURRENCIES),
    gateBlocksFreeOutbound: bool(
      'GATE_BLOCKS_FREE_OUTBOUND',
      env.GATE_BLOCKS_FREE_OUTBOUND,
      defaults.gateBlocksFreeOutbound,
    ),
    gateBalanceCacheMs: intIn(
      'GATE_BALANCE_CACHE_MS',
      env.GATE_BALANCE_CACHE_MS,
      defaults.gateBalanceCacheMs,
      0,
      60_000,
    ),
    gateWriteThrough: bool('GATE_WRITE_THROUGH', env.GATE_WRITE_THROUGH, defaults.gateWriteThrough),
    gateFlushMs: intIn('GATE_FLUSH_MS', env.GATE_FLUSH_MS, defaults.gateFlushMs, 1, 10_000),
    staleDataAfterMs: intIn(
      'STALE_DATA_AFTER_MS',
      env.STALE_DATA_AFTER_MS,
      defaults.staleDataAfterMs,
      60_000,
      90 * 24 * 60 * 60 * 1000,
    ),
    gateMaxCustomers: intIn(
      'GATE_MAX_CUSTOMERS',
      env.GATE_MAX_CUSTOMERS,
      defaults.gateMaxCustomers,
      100,
      10_000_000,
    ),
    tempDir: env.TEMP_DIR || defaults.tempDir,
    demoMode,
    demoData,
    alertWebhookAllowNetworks: cidrList('ALERT_WEBHOOK_ALLOW_NETWORKS', env.ALERT_WEBHOOK_ALLOW_NETWORKS),
    widgetsDir: env.WIDGETS_DIR || defaults.widgetsDir,
    logLevel: level as Config['logLevel'],
    lakeDir: env.LAKE_DIR || defaults.lakeDir,
    ingestLakeDir: lakeDir,
    ingestLakeRemote: ingestLakeRemote(env, lakeDir),
    restoreFromLake: bool('RESTORE_FROM_LAKE', env.RESTORE_FROM_LAKE, defaults.restoreFromLake),
    intake: intakeSettings(env, env.DB_PATH || defaults.dbPath),
    moneyStore: moneyStore(env, env.DB_PATH || defaults.dbPath),
    gateHolds: gateHolds(env, moneyStore(env, env.DB_PATH || defaults.dbPath).kind),
    // A container's HOSTNAME tells its replicas apart without a setting of their own.
    replicaId: replicaId(env.REPLICA_ID || env.HOSTNAME || defaults.replicaId),
    jobLeaseGraceMs: intIn(
      'JOB_LEASE_GRACE_MS',
      env.JOB_LEASE_GRACE_MS,
      defaults.jobLeaseGraceMs,
      100,
      3_600_000,
    ),
    claimUsageSource: bool('CLAIM_USAGE_SOURCE', env.CLAIM_USAGE_SOURCE, defaults.claimUsageSource),
    ingestWriterLeaseMs: intIn(
      'INGEST_WRITER_LEASE_MS',
      env.INGEST_WRITER_LEASE_MS,
      defaults.ingestWriterLeaseMs,
      1_000,
      600_000,
    ),
    replicaUrl: replicaUrl(env.REPLICA_URL) ?? defaults.replicaUrl,
    ingestForwardTimeoutMs: intIn(
      'INGEST_FORWARD_TIMEOUT_MS',
      env.INGEST_FORWARD_TIMEOUT_MS,
      defaults.ingestForwardTimeoutMs,
      0,
      3_600_000,
    ),
    query: {
      timeoutMs: intIn('QUERY_TIMEOUT_MS', env.QUERY_TIMEOUT_MS, defaults.query.timeoutMs, 100, 600_000),
      memoryLimitMb: intIn(
        'QUERY_MEMORY_LIMIT_MB',
        env.QUERY_MEMORY_LIMIT_MB,
        defaults.query.memoryLimitMb,
        16,
        65_536,
      ),
      maxRows: intIn('QUERY_MAX_ROWS', env.QUERY_MAX_ROWS, defaults.query.maxRows, 1, 10_000_000),
      concurrency: intIn('QUERY_CONCURRENCY', env.QUERY_CONCURRENCY, defaults.query.concurrency, 1, 64),
      queue: intIn('QUERY_QUEUE', env.QUERY_QUEUE, defaults.query.queue, 0, 10_000),
      cacheMs: intIn('QUERY_CACHE_MS', env.QUERY_CACHE_MS, defaults.query.cacheMs, 0, 3_600_000),
    },
  };
}

/**
 * What a serving host refuses to start without, outside demo mode: a signing secret of its own (else anyone
 * could sign embed tokens and payment events with the published one) and an admin token.
 */
export function checkServable(config: Config): void {
  if (config.demoMode) return;
  const problems: string[] = [];
  if (config.signingSecret === null || config.signingSecret.length < MIN_SIGNING_SECRET_LENGTH)
    problems.push(`SIGNING_SECRET must be set to at least ${MIN_SIGNING_SECRET_LENGTH} characters`);
  if (config.adminToken === null || config.adminToken.length < MIN_ADMIN_TOKEN_LENGTH)
    problems.push(`ADMIN_TOKEN must be set to at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  if (problems.length > 0)
    throw new ConfigError(`${problems.join('; ')} (or set DEMO_MODE=true for a local demo)`);
}
