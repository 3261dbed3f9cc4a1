/**
 * Drains the continuous intake: every interval, the pending entries are derived, each stream (webhooks, records)
 * in log order, as many entries of one caller and format in a row of their stream as fit in one batch
 * (INTAKE_MAX_BATCH events), the stream's cursor moving in the transaction that commits the batch. An entry
 * refused when it is derived (a number registered under another WABA since it was accepted) is derived alone,
 * and if it is still refused it is recorded as refused and passed, so that it never blocks the ones behind it.
 */
import { AppError, NotUsageSourceError } from '../errors.js';
import { otherUsageSource } from '../ledger/usage-source.js';
import type { ContinuousIntake } from './continuous-intake.js';
import { deriveEntries, skipEntry, type IntakeDeps } from './derive-entries.js';
import { streamOf } from './intake-cursor.js';
import type { IntakeEntry } from './intake-entry.js';

/**
 * The first pending entry and the entries of its stream after it, skipping the other stream's, while they are
 * of the same caller and format and within `maxEvents` (at least one entry).
 */
function nextBatch(pending: readonly IntakeEntry[], maxEvents: number): IntakeEntry[] {
  const first = pending[0];
  if (!first) return [];
  const stream = streamOf(first);
  const batch = [first];
  let events = first.keys.length;
  for (let i = 1; i < pending.length; i++) {
    const e = pending[i]!;
    if (streamOf(e) !== stream) continue;
    if (e.partnerId !== first.partnerId || e.format !== first.format) break;
    if (events + e.keys.length > maxEvents) break;
    batch.push(e);
    events += e.keys.length;
  }
  return batch;
}

/** A refusal of the entry itself; not being the usage source refuses no entry (it stops the pass). */
const isRefusal = (err: unknown) =>
  err instanceof AppError && err.status < 500 && !(err instanceof NotUsageSourceError);

/** Derives one batch; a refused batch of several entries is derived entry by entry. */
async function deriveBatch(intake: ContinuousIntake, deps: IntakeDeps, batch: IntakeEntry[]): Promise<void> {
  try {
    await deriveEntries(deps, intake.logId, batch, (e) => intake.parsedOf(e));
    intake.markDerived(batch, deps.clock.now());
  } catch (err) {
    if (!isRefusal(err)) throw err;
    if (batch.length > 1) {
      for (const e of batch) await deriveBatch(intake, deps, [e]);
      return;
    }
    const entry = batch[0]!;
    deps.log.error('intake entry refused when derived', {
      seq: entry.seq,
      partner_id: entry.partnerId,
      error: err instanceof AppError ? { code: err.code, ...err.detail } : String(err),
    });
    await skipEntry(deps, intake.logId, entry);
    intake.markDerived([entry], deps.clock.now(), true);
  }
}

/** Derives everything pending now; a store error stops the pass (the next one tries again). */
export async function drainIntake(intake: ContinuousIntake, deps: IntakeDeps): Promise<void> {
  try {
    // Only the usage source derives (usage-source.ts), with the election only the writer: elsewhere the entries
    // wait in this replica's log, none is skipped, until it is the writer again.
    const role = deps.services.writer;
    if (role && !role.isWriter) return;
    if (deps.money && (await otherUsageSource({ db: deps.db, money: deps.money }))) return;
    for (;;) {
      const batch = nextBatch(intake.pending, intake.settings.maxBatchEvents);
      if (batch.length === 0) break;
      await deriveBatch(intake, deps, batch);
    }
    intake.lastError = null;
    await intake.prune(deps.clock.now());
  } catch (err) {
    intake.lastError = String(err);
    deps.log.error('intake derivation failed', { error: String(err) });
  }
}

/** Runs drainIntake every settings.intervalMs (after the previous pass ended); the answer stops it. */
export function startMicroBatcher(intake: ContinuousIntake, deps: IntakeDeps): () => Promise<void> {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = drainIntake(intake, deps).finally(() => {
      if (!stopped) timer = setTimeout(tick, intake.settings.intervalMs);
    });
  };
  tick();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
