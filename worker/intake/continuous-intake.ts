/**
 * The continuous intake: requests are checked with the rules of the synchronous path, their new events written
 * to the durable log (intake-log.ts) and answered at once; the micro-batcher (micro-batcher.ts) derives them in
 * order. Event keys are held in memory (rebuilt from the log at start) so that a repeated event is acknowledged
 * as a duplicate, also while the first one is still being synced, and never logged twice.
 */
import type { IntakeSettings } from '../config.js';
import type { Db } from '../db/db.js';
import { ServiceUnavailableError } from '../errors.js';
import type { ParsedWebhooks } from '../ingest/parse-webhooks.js';
import type { IntakeEntry } from './intake-entry.js';
import { readIntakeCursor, streamOf, type IntakeCursor, type IntakeStream } from './intake-cursor.js';
import { IntakeLog } from './intake-log.js';
import { KnownOwners } from './known-owners.js';

export interface IntakeRequest {
  readonly partnerId: string | null;
  readonly format: IntakeEntry['format'];
  /** What the log keeps (IntakeEntry.text); records: a function of the new keys' positions in `keys`. */
  readonly text: string | ((fresh: readonly number[]) => string);
  /** The key of every event of the request, in order (repeats allowed). */
  readonly keys: readonly string[];
  /** Data lines of the request. */
  readonly rows: number;
  readonly at: Date;
  /** Webhooks: `text` as acceptance parsed it, so that the derivation need not parse it again. */
  readonly parsed?: ParsedWebhooks;
}

export interface IntakeAnswer {
  /** The accepted entry, null when every event was known already. */
  readonly intake_id: string | null;
  readonly rows: number;
  readonly accepted: number;
  readonly duplicates: number;
}

const KNOWN = Promise.resolve();

/**
 * Parses kept for the derivation while this many batches at most wait: beyond, the backlog's entries are parsed
 * again when derived rather than held in memory twice (text and columns).
 */
const PARSED_BATCHES = 2;

export class ContinuousIntake {
  /** Event key → the sync of the entry that brought it (settled for entries read back at start). */
  private readonly keys = new Map<string, Promise<void>>();
  /** Durable entries not derived yet, in seq order. */
  readonly pending: IntakeEntry[] = [];
  /** Acceptance's parse of pending webhook entries, by seq (some of them, see PARSED_BATCHES). */
  private readonly parsed = new Map<number, ParsedWebhooks>();
  private pendingEvents = 0;
  private inFlightEvents = 0;
  private counters = { accepted: 0, duplicates: 0, refusedEntries: 0 };
  private lastAcceptedAt: string | null = null;
  /** The last seq derived of each stream (intake-cursor.ts). */
  private readonly streamThrough: Record<IntakeStream, number>;
  derivedAt: string | null;
  /** Registered numbers seen by acceptance (known-owners.ts). */
  readonly owners = new KnownOwners();
  lastError: string | null = null;

  private constructor(
    private readonly log: IntakeLog,
    readonly settings: IntakeSettings,
    cursor: IntakeCursor,
  ) {
    this.streamThrough = { ...cursor.derivedThrough };
    this.derivedAt = cursor.derivedAt;
  }

  /** Opens the log in settings.dir and picks up what it holds beyond the store's cursor. */
  static async open(db: Db, settings: IntakeSettings & { readonly dir: string }): Promise<ContinuousIntake> {
    const replayed: IntakeEntry[] = [];
    let intake: ContinuousIntake | null = null;
    const log = await IntakeLog.open(
      settings.dir,
      (e) => replayed.push(e),
      (e) => intake?.onDurable(e),
    );
    const cursor = await readIntakeCursor(db, log.logId);
    log.raiseNextSeq(Math.max(cursor.derivedThrough.webhooks, cursor.derivedThrough.records) + 1);
    const opened = new ContinuousIntake(log, settings, cursor);
    for (const e of replayed) {
      for (const k of e.keys) opened.keys.set(k, KNOWN);
      if (e.seq > cursor.derivedThrough[streamOf(e)]) opened.onDurable(e);
    }
    intake = opened;
    return opened;
  }

  get logId(): string {
    return this.log.logId;
  }

  /** The seq up to which every entry of the log is derived. */
  get derivedThrough(): number {
    const first = this.pending[0];
    return first ? first.seq - 1 : Math.max(this.streamThrough.webhooks, this.streamThrough.records);
  }

  private onDurable(e: IntakeEntry): void {
    this.pending.push(e);
    this.pendingEvents += e.keys.length;
    this.lastAcceptedAt = e.at;
  }

  /** Logs the request's new events and answers once they are durable (duplicates once their first copy is). */
  async accept(req: IntakeRequest): Promise<IntakeAnswer> {
    const fresh: string[] = [];
    const freshAt: number[] = [];
    const seen = new Set<string>();
    const waits: Promise<void>[] = [];
    req.keys.forEach((k, i) => {
      const known = this.keys.get(k);
      if (known) waits.push(known);
      else if (!seen.has(k)) {
        fresh.push(k);
        freshAt.push(i);
      }
      seen.add(k);
    });
    const total = this.pendingEvents + this.inFlightEvents + fresh.length;
    if (fresh.length > 0 && total > this.settings.maxPendingEvents)
      throw new ServiceUnavailableError(
        `The intake holds ${this.pendingEvents} events not derived yet; try again in a few seconds.`,
      );
    let id: string | null = null;
    if (fresh.length > 0) {
      const entry = {
        at: req.at.toISOString(),
        partnerId: req.partnerId,
        format: req.format,
        keys: fresh,
        text: typeof req.text === 'string' ? req.text : req.text(freshAt),
      };
      const { seq, durable } = this.log.append(entry);
      id = `in_${seq}`;
      if (req.parsed && total <= PARSED_BATCHES * this.settings.maxBatchEvents)
        this.parsed.set(seq, req.parsed);
      this.inFlightEvents += fresh.length;
      for (const k of fresh) this.keys.set(k, durable);
      const settled = () => (this.inFlightEvents -= fresh.length);
      durable.then(settled, () => {
        settled();
        this.parsed.delete(seq);
        for (const k of fresh) if (this.keys.get(k) === durable) this.keys.delete(k);
      });
      waits.push(durable);
    }
    try {
      await Promise.all(waits);
    } catch {
      throw new ServiceUnavailableError('The intake log cannot be written; try again later.');
    }
    const duplicates = req.keys.length - fresh.length;
    this.counters.accepted += fresh.length;
    this.counters.duplicates += duplicates;
    return { intake_id: id, rows: req.rows, accepted: fresh.length, duplicates };
  }

  /** Records that these pending entries (of one stream, in seq order) are derived (or refused), at `at`. */
  markDerived(done: readonly IntakeEntry[], at: Date, refused = false): void {
    const seqs = new Set(done.map((e) => e.seq));
    const kept = this.pending.filter((e) => !seqs.has(e.seq));
    this.pending.length = 0;
    for (const e of kept) this.pending.push(e);
    for (const e of done) {
      this.pendingEvents -= e.keys.length;
      this.parsed.delete(e.seq);
    }
    if (refused) this.counters.refusedEntries += done.length;
    const last = done.at(-1);
    if (last) this.streamThrough[streamOf(last)] = Math.max(this.streamThrough[streamOf(last)], last.seq);
    this.derivedAt = at.toISOString();
  }

  /** The parse acceptance made of a pending webhook entry's text, if it is still kept. */
  parsedOf(e: IntakeEntry): ParsedWebhooks | undefined {
    return this.parsed.get(e.seq);
  }

  /** Removes old derived segments and forgets their keys. */
  async prune(now: Date): Promise<void> {
    const dropped = await this.log.dropDerived(this.derivedThrough, this.settings.retainMs, now.getTime());
    for (const k of dropped) this.keys.delete(k);
  }

  /** What operators watch: the backlog, and how far behind acceptance the derivation runs. */
  status(now: Date) {
    const oldest = this.pending[0];
    return {
      log_id: this.log.logId,
      pending_entries: this.pending.length,
      pending_events: this.pendingEvents,
      accepted_events: this.counters.accepted,
      duplicate_events: this.counters.duplicates,
      refused_entries: this.counters.refusedEntries,
      derived_through: this.derivedThrough,
      last_accepted_at: this.lastAcceptedAt,
      last_derived_at: this.derivedAt,
      lag_ms: oldest ? Math.max(0, now.getTime() - Date.parse(oldest.at)) : 0,
      last_error: this.lastError,
    };
  }

  /** Waits for the appends under way and closes the log. */
  close(): Promise<void> {
    return this.log.close();
  }
}

export type IntakeStatus = ReturnType<ContinuousIntake['status']>;
