/**
 * This process's part in the ingest-writer election (worker/election/), as the routes and the intake see it:
 * only the writer takes ingest and derives the intake; a replica catching up after it won the lease takes
 * none yet. The election changes it; everything else reads it. Absent (no election): the usage source is the
 * claim made by hand (usage-source.ts).
 */

export type WriterPhase =
  /** Another replica holds the lease (or none does and this one has not won it yet). */
  | 'standby'
  /** This replica holds the lease and is replaying what it lacks of the lake before it claims the source. */
  | 'catching-up'
  /** This replica holds the lease and the usage-source claim: it takes ingest. */
  | 'writer';

export class WriterRole {
  private current: WriterPhase = 'standby';
  private archiving = false;

  get phase(): WriterPhase {
    return this.current;
  }

  /** Whether this replica takes ingest now. */
  get isWriter(): boolean {
    return this.current === 'writer';
  }

  /**
   * Whether this replica archives into the shared lake: from the moment it numbered its entries past the lake's
   * last one (while catching up) until it loses the lease. A standby archives nothing, so the lake holds one
   * writer's numbering at a time.
   */
  get archives(): boolean {
    return this.archiving;
  }

  /** Set by the election only. */
  enter(phase: WriterPhase, archives: boolean): void {
    this.current = phase;
    this.archiving = archives;
  }

  private inFlight = 0;
  private idle: (() => void)[] = [];

  /** Runs an ingest request, counted so that stepping down can wait for the ones under way. */
  async during<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await fn();
    } finally {
      if (--this.inFlight === 0) this.idle.splice(0).forEach((wake) => wake());
    }
  }

  /** Resolves once no ingest request is under way, or after `ms`. */
  drained(ms: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
