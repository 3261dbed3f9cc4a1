/**
 * Derives accepted intake entries of one caller through the one webhook ingest (ingest-webhooks.ts: events →
 * units → the recompute → ledger → lake archive → after-commit effects) in one transaction, which also moves the
 * log's cursor past them: the entries are derived, and known to be, together or not at all.
 */
import { recomputer } from '../billing/recompute.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../env.js';
import type { GateServices } from '../gate/gate-services.js';
import type { DomainContext } from '../kernel/domain-context.js';
import type { WriterRole } from '../ledger/writer-role.js';
import type { IngestLake } from '../lake/ingest-lake.js';
import { gateTeacher } from '../gate/teach-gate.js';
import { ingestUnits } from '../ingest/ingest-units.js';
import { ingestWebhooks } from '../ingest/ingest-webhooks.js';
import type { IngestResult } from '../ingest/record-batch.js';
import type { IntakeEntry } from './intake-entry.js';
import { streamOf, writeIntakeCursor } from './intake-cursor.js';
import { parseEntries } from './parse-entries.js';
import type { ParsedWebhooks } from '../ingest/parse-webhooks.js';
import { concatRecords, type RecordColumns } from './record-columns.js';

/** What deriving needs of the app: the store, time, the domain context, the gate to teach, the lake. */
export interface IntakeDeps {
  readonly db: Db;
  /** The money plane, where the derived usage is charged and the numbers it meets registered; none = `db`. */
  readonly money?: Db;
  readonly clock: Clock;
  readonly log: Logger;
  readonly domain: DomainContext;
  readonly services: { readonly gate: GateServices; readonly writer?: WriterRole };
  readonly host: { readonly ingestLake?: IngestLake };
}

/**
 * The entries (in seq order, all of one partner and one format) as one batch, the cursor of their stream moving
 * in the transaction that commits it, webhooks through the webhook
 * ingest, records through the record ingest (ingest-units.ts); they are derived at the clock's now.
 */
export async function deriveEntries(
  deps: IntakeDeps,
  logId: string,
  entries: readonly IntakeEntry[],
  /** The parse acceptance kept of an entry (webhooks), if any. */
  parsedOf?: (e: IntakeEntry) => ParsedWebhooks | undefined,
): Promise<IngestResult> {
  const last = entries.at(-1);
  if (!last) throw new Error('deriveEntries needs at least one entry');
  const now = deps.clock.now();
  const lake = deps.host.ingestLake;
  if (last.format !== 'webhooks')
    return ingestUnits(deps.db, {
      format: last.format,
      source: {
        kind: 'columns',
        columns: concatRecords(entries.map((e) => JSON.parse(e.text) as RecordColumns)),
      },
      partnerId: last.partnerId,
      now,
      recompute: recomputer(deps.domain, deps),
      ...(deps.money ? { money: deps.money } : {}),
      ...(lake ? { lake } : {}),
      inTransaction: (tx) => writeIntakeCursor(tx, logId, streamOf(last), last.seq, now),
    });
  return ingestWebhooks(deps.db, {
    text: entries.map((e) => e.text).join('\n'),
    parsed: await parseEntries(entries, parsedOf),
    partnerId: last.partnerId,
    now,
    recompute: recomputer(deps.domain, deps),
    ...(deps.money ? { money: deps.money } : {}),
    ...(lake ? { lake } : {}),
    onWindows: gateTeacher({ state: deps.services.gate.state, log: deps.log, flush: false }, now),
    inTransaction: (tx) => writeIntakeCursor(tx, logId, streamOf(last), last.seq, now),
  });
}

/** Moves the cursor past an entry that cannot be derived any more (refused by checks made when it is derived). */
export async function skipEntry(deps: IntakeDeps, logId: string, entry: IntakeEntry): Promise<void> {
  await deps.db.transaction((tx) =>
    writeIntakeCursor(tx, logId, streamOf(entry), entry.seq, deps.clock.now()),
  );
}
