/**
 * The durable medium of the continuous intake: an append-only log in a folder of its own, one JSON line per
 * accepted request, in segment files named after their first seq. Appends are group-committed: while one write
 * + fdatasync runs, the entries of every request that arrives meanwhile gather and share the next one, so a
 * request waits for at most two fsyncs however many arrive. A request is answered only after its line is synced.
 */
import { randomUUID } from 'node:crypto';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  truncate,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncPath } from '../db/fsync-path.js';
import { ServiceUnavailableError } from '../errors.js';
import { entryLine, parseEntryLine, type IntakeEntry } from './intake-entry.js';

/** A new segment is started past this size; whole segments are removed once derived and old enough. */
const SEGMENT_BYTES = 8 * 1024 * 1024;
const SEGMENT_RE = /^seg-(\d{16})\.log$/;

interface Segment {
  readonly name: string;
  lastSeq: number;
  bytes: number;
  keys: string[];
  /** When the log stopped appending to it (ms); null while it is the active segment. */
  closedAt: number | null;
}

interface Waiter {
  readonly entry: IntakeEntry;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

const segmentName = (firstSeq: number) => `seg-${String(firstSeq).padStart(16, '0')}.log`;

/** The log's identity, kept with it: the store records progress per log, so a new folder starts afresh. */
async function logIdOf(dir: string): Promise<string> {
  const path = join(dir, 'log-id');
  const found = await readFile(path, 'utf8').catch(() => null);
  if (found !== null && found.trim() !== '') return found.trim();
  const id = randomUUID();
  await writeSynced(`${path}.tmp`, id);
  await rename(`${path}.tmp`, path);
  await fsyncPath(dir);
  return id;
}

async function writeSynced(path: string, text: string): Promise<void> {
  const h = await open(path, 'w');
  try {
    await h.writeFile(text);
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Reads a segment's complete lines; a torn last line (a crash mid-write, never acknowledged) is cut off. */
async function readSegment(path: string, last: boolean): Promise<{ entries: IntakeEntry[]; bytes: number }> {
  const text = await readFile(path, 'utf8');
  const entries: IntakeEntry[] = [];
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    const entry = end < 0 ? null : parseEntryLine(text.slice(at, end));
    if (!entry) {
      if (!last) throw new Error(`intake log ${path} is damaged at byte ${at}`);
      await truncate(path, Buffer.byteLength(text.slice(0, at)));
      break;
    }
    entries.push(entry);
    at = end + 1;
  }
  return { entries, bytes: Buffer.byteLength(text.slice(0, at)) };
}

export class IntakeLog {
  private readonly queue: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private failed: unknown = null;

  private constructor(
    readonly dir: string,
    readonly logId: string,
    private readonly segments: Segment[],
    private handle: FileHandle | null,
    private nextSeq: number,
    /** Told of each entry once it is durable, in seq order, before its appender hears of it. */
    private readonly onDurable: (e: IntakeEntry) => void,
  ) {}

  /** Opens (or creates) the log in `dir`; `replay` receives every entry it holds, in order. */
  static async open(
    dir: string,
    replay: (e: IntakeEntry) => void,
    onDurable: (e: IntakeEntry) => void,
  ): Promise<IntakeLog> {
    await mkdir(dir, { recursive: true });
    const logId = await logIdOf(dir);
    const names = (await readdir(dir)).filter((n) => SEGMENT_RE.test(n)).sort();
    const segments: Segment[] = [];
    let lastSeq = 0;
    for (const [i, name] of names.entries()) {
      const { entries, bytes } = await readSegment(join(dir, name), i === names.length - 1);
      if (entries.length === 0) {
        // Created, then stopped before its first line was synced: nothing in it was ever acknowledged.
        await rm(join(dir, name), { force: true });
        continue;
      }
      entries.forEach(replay);
      lastSeq = entries.at(-1)!.seq;
      const { mtimeMs } = await stat(join(dir, name));
      segments.push({ name, lastSeq, bytes, keys: entries.flatMap((e) => e.keys), closedAt: mtimeMs });
    }
    return new IntakeLog(dir, logId, segments, null, lastSeq + 1, onDurable);
  }

  /** The seq the next entry gets (so that a log whose segments were all removed never reuses one). */
  raiseNextSeq(min: number): void {
    this.nextSeq = Math.max(this.nextSeq, min);
  }

  /** Numbers the entry and resolves once its line is synced to disk. */
  append(entry: Omit<IntakeEntry, 'seq'>): { seq: number; durable: Promise<void> } {
    if (this.failed) throw new ServiceUnavailableError('The intake log cannot be written; try again later.');
    const seq = this.nextSeq++;
    const durable = new Promise<void>((resolve, reject) => {
      this.queue.push({ entry: { ...entry, seq }, resolve, reject });
    });
    this.flushing ??= this.flush();
    return { seq, durable };
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0);
      try {
        const segment = await this.activeSegment(group[0]!.entry.seq);
        const text = group.map((w) => entryLine(w.entry)).join('');
        await this.handle!.write(text);
        await this.handle!.datasync();
        segment.bytes += Buffer.byteLength(text);
        segment.lastSeq = group.at(-1)!.entry.seq;
        for (const w of group) segment.keys.push(...w.entry.keys);
      } catch (err) {
        // What the disk refused may be half written: nothing more is appended behind it.
        this.failed = err;
        for (const w of [...group, ...this.queue.splice(0)]) w.reject(err);
        break;
      }
      for (const w of group) this.onDurable(w.entry);
      for (const w of group) w.resolve();
    }
    this.flushing = null;
  }

  private async activeSegment(firstSeq: number): Promise<Segment> {
    const current = this.handle ? this.segments.at(-1) : undefined;
    if (current && current.bytes < SEGMENT_BYTES) return current;
    if (this.handle) {
      await this.handle.close();
      this.handle = null;
      current!.closedAt = Date.now();
    }
    const name = segmentName(firstSeq);
    this.handle = await open(join(this.dir, name), 'a');
    await fsyncPath(this.dir);
    const segment: Segment = { name, lastSeq: firstSeq - 1, bytes: 0, keys: [], closedAt: null };
    this.segments.push(segment);
    return segment;
  }

  /**
   * Removes the closed segments whose entries are all derived (seq ≤ `derivedThrough`) and that were closed
   * more than `retainMs` ago; returns the event keys they held, which the intake then forgets.
   */
  async dropDerived(derivedThrough: number, retainMs: number, now: number): Promise<string[]> {
    const dropped: string[] = [];
    while (this.segments.length > 0) {
      const s = this.segments[0]!;
      if (s.closedAt === null || s.lastSeq > derivedThrough || now - s.closedAt < retainMs) break;
      await rm(join(this.dir, s.name), { force: true });
      this.segments.shift();
      dropped.push(...s.keys);
    }
    return dropped;
  }

  /** Waits for the appends under way, then closes the active segment. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.handle?.close();
    this.handle = null;
  }
}
