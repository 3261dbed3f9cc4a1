/**
 * A live store on a DuckDB file with an ingest lake beside it, served by the real app (app.request), and the
 * hostile batches the lake tests send: months split across files, repeats inside a batch, a late correction, a
 * stale replay, whole batches sent again, refused batches, and webhook envelopes.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { buildAppServices, withDomainContext } from '../../worker/app-services.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_API_KEY } from '../../data/demo/demo-profile.js';
import { createApp } from '../../worker/app.js';
import { ManualClock } from '../../worker/clock.js';
import { normalizeConfig } from '../../worker/config.js';
import type { DuckDbStore } from '../../worker/db/duckdb-store.js';
import { openStore as openHostStore } from '../../worker/pricing/open-store.js';
import { silentLogger } from '../../worker/env.js';
import type { IngestLake } from '../../worker/lake/ingest-lake.js';
import { nodeHost } from '../../worker/node-host.js';

export const ADMIN = 'lake-test-admin-token';
export const KEY = DEMO_API_KEY;

export interface LiveStore {
  readonly db: DuckDbStore;
  readonly app: ReturnType<typeof createApp>;
  readonly clock: ManualClock;
  readonly deps: Parameters<typeof createApp>[0];
}

/** The app over the store at `path` (demo mode, so the demo partner can be seeded), archiving into `lake`. */
export async function openStore(path: string, now: string, lake?: IngestLake): Promise<LiveStore> {
  const config = normalizeConfig({ DEMO_MODE: 'true', ADMIN_TOKEN: ADMIN, DB_PATH: path });
  const db = await openHostStore({ path }, new Date(now));
  const clock = new ManualClock(now);
  const deps = withDomainContext({
    db,
    clock,
    config,
    log: silentLogger,
    host: nodeHost(db, config.query, lake ? { ingestLake: lake } : {}),
    services: buildAppServices(db, config),
  });
  return { db, app: createApp(deps), clock, deps };
}

export async function post(
  s: LiveStore,
  body: string | Uint8Array,
  type: string,
  token = KEY,
): Promise<{ status: number; body: { batch_id?: string; inserted?: number; updated?: number } }> {
  const res = await s.app.request('/v1/ingest', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  });
  return { status: res.status, body: (await res.json()) as { batch_id?: string } };
}

const HEAD =
  'unit_id,pricing_model,unit,waba_id,phone_number_id,display_phone_number,recipient_wa_id,category,opened_at,status_final,rate,ingested_at';

const csv = (rows: string[]) => [HEAD, ...rows].join('\n') + '\n';

/** Accepted record batches, in the order they are sent (some of them twice). */
export const HOSTILE_BATCHES: {
  name: string;
  body: string | Uint8Array;
  type: string;
  admin?: boolean;
}[] = [
  {
    // Spans three UTC months; 06:59 UTC on Oct 1 is still September in Los Angeles; lake.a1 twice (last wins).
    name: 'months and repeats',
    type: 'text/csv',
    body: csv([
      'lake.a1,PMP,message,demo-waba-us,lake-pn-new,14155559999,14155550000,marketing,2026-09-30T23:30:00Z,delivered,,',
      'lake.a2,PMP,message,demo-waba-us,lake-pn-new,14155559999,+14155550001,utility,2026-10-01T06:59:00Z,delivered,,2026-11-10T00:00:00Z',
      'lake.a1,PMP,message,demo-waba-us,lake-pn-new,14155559999,14155550000,authentication,2026-09-30T23:31:00Z,read,,',
      'lake.a3,PMP,message,demo-waba-us,lake-pn-new,14155559999,447700900123,service,2026-11-02T10:00:00Z,read,,',
      'lake.a4,PMP,message,demo-waba-us,demo-pn-us-shop,,5511987654321,marketing,2026-11-03T10:00:00Z,delivered,0.0250000000,',
    ]),
  },
  {
    // A late correction of lake.a2 (newer ingested_at), then a stale replay of it (older ingested_at).
    name: 'late correction',
    type: 'text/csv',
    body: csv([
      'lake.a2,PMP,message,demo-waba-us,lake-pn-new,,14155550001,marketing,2026-10-01T06:59:00Z,read,,2026-11-12T00:00:00Z',
    ]),
  },
  {
    name: 'stale replay',
    type: 'text/csv',
    body: csv([
      'lake.a2,PMP,message,demo-waba-us,lake-pn-new,,14155550001,service,2026-10-01T06:59:00Z,read,,2026-11-01T00:00:00Z',
    ]),
  },
  {
    name: 'ndjson by the admin',
    type: 'application/x-ndjson',
    admin: true,
    body:
      [
        {
          unit_id: 'lake.n1',
          pricing_model: 'PMP',
          unit: 'message',
          waba_id: 'demo-waba-de',
          phone_number_id: 'demo-pn-de-service',
          recipient_wa_id: '4915112340009',
          category: 'utility',
          opened_at: 1793700000,
          status_final: 'delivered',
          cost: '0.04',
        },
        {
          unit_id: 'lake.n2',
          pricing_model: 'CBP',
          unit: 'conversation',
          waba_id: 'demo-waba-in',
          phone_number_id: 'demo-pn-in-otp',
          recipient_wa_id: '919812345678',
          category: 'authentication',
          opened_at: '2025-03-31T20:00:00+05:30',
          rate: '0.1',
        },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
  },
  {
    // Arrow IPC with typed booleans; lake.a3 again with a changed category (a correction from another format).
    name: 'arrow',
    type: 'application/vnd.apache.arrow.stream',
    body: tableToIPC(
      tableFromArrays({
        unit_id: ['lake.r1', 'lake.a3'],
        pricing_model: ['PMP', 'PMP'],
        unit: ['message', 'message'],
        waba_id: ['demo-waba-de', 'demo-waba-us'],
        phone_number_id: ['demo-pn-de-shop', 'lake-pn-new'],
        recipient_wa_id: ['4915112340010', '447700900123'],
        category: ['marketing', 'marketing'],
        opened_at: ['2026-08-31T22:30:00Z', '2026-11-02T10:00:00Z'],
        is_template: [true, true],
        status_final: ['read', 'read'],
      }),
      'stream',
    ),
  },
];

/** Refused batches: nothing of them may reach the store or the lake. */
export const REFUSED_BATCHES: { body: string; type: string }[] = [
  {
    type: 'text/csv',
    body: csv([
      'lake.bad1,PMP,message,demo-waba-us,demo-pn-us-shop,,14155550002,marketing,2026-11-03T10:00:00Z,delivered,,',
      'lake.bad2,PMP,message,demo-waba-us,demo-pn-us-shop,,14155550003,marketing,not-a-time,delivered,,',
    ]),
  },
  {
    type: 'application/vnd.whatsapp.webhooks+x-ndjson',
    body: '{"object":"whatsapp_business_account","entry":[{}]}\n',
  },
];

export const webhookSample = () =>
  readFile(join(import.meta.dirname, '../../data/demo/sample-webhooks.ndjson'));
export const unitSample = () => readFile(join(import.meta.dirname, '../../data/demo/sample-units.csv'));
