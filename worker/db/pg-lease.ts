/**
 * Named leases in a Postgres store (table job_leases): a job that must run in one place at a time, when several
 * processes share the store, runs only where its lease is held. A lease is granted to one holder until it expires
 * by the server's clock (one clock for every process); the holder renews it while it works, and a holder that
 * dies simply stops renewing: another takes the lease once it has expired. Every change of hands adds one to the
 * lease's token, and work done under a lease checks it in the work's own transaction (`fenceLease`), so a holder
 * that paused past its expiry cannot commit after another took over.
 */
import type { Queryable } from './db.js';

export interface Lease {
  readonly job: string;
  readonly holder: string;
  /** Grows by one each time the lease changes hands (decimal text, BIGINT). */
  readonly token: string;
  /** When it lapses unless renewed (TIMESTAMPTZ text, UTC). */
  readonly expiresAt: string;
}

interface LeaseRow {
  holder: string;
  token: string;
  expires_at: string;
}

const toLease = (job: string, r: LeaseRow): Lease => ({
  job,
  holder: r.holder,
  token: r.token,
  expiresAt: r.expires_at,
});

/**
 * Grants `job` to `holder` for `ttlMs` if it is free, expired or already theirs (then it is renewed, same token);
 * null while another holder's lease runs. Run it outside a transaction: it decides by the server's clock now.
 */
export async function acquireLease(
  q: Queryable,
  job: string,
  holder: string,
  ttlMs: number,
): Promise<Lease | null> {
  const rows = await q.all<LeaseRow>(
    `INSERT INTO job_leases AS l (job, holder, token, acquired_at, expires_at)
     VALUES ($job, $holder, 1, clock_timestamp(), clock_timestamp() + $ttl::BIGINT * INTERVAL '1 millisecond')
     ON CONFLICT (job) DO UPDATE SET
       holder = EXCLUDED.holder,
       token = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > clock_timestamp() THEN l.token
                    ELSE l.token + 1 END,
       acquired_at = CASE WHEN l.holder = EXCLUDED.holder AND l.expires_at > clock_timestamp() THEN l.acquired_at
                          ELSE EXCLUDED.acquired_at END,
       expires_at = EXCLUDED.expires_at
     WHERE l.expires_at <= clock_timestamp() OR l.holder = EXCLUDED.holder
     RETURNING holder, token::TEXT AS token, expires_at`,
    { job, holder, ttl: ttlMs },
  );
  const row = rows[0];
  return row ? toLease(job, row) : null;
}

/**
 * Takes `job` for `holder` whoever holds it and whether or not it expired (a new token, so the previous holder's
 * fenced work stops at once): for a takeover an operator asks for, never for the ordinary competition.
 */
export async function seizeLease(q: Queryable, job: string, holder: string, ttlMs: number): Promise<Lease> {
  const rows = await q.all<LeaseRow>(
    `INSERT INTO job_leases AS l (job, holder, token, acquired_at, expires_at)
     VALUES ($job, $holder, 1, clock_timestamp(), clock_timestamp() + $ttl::BIGINT * INTERVAL '1 millisecond')
     ON CONFLICT (job) DO UPDATE SET holder = EXCLUDED.holder, token = l.token + 1,
       acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
     RETURNING holder, token::TEXT AS token, expires_at`,
    { job, holder, ttl: ttlMs },
  );
  return toLease(job, rows[0]!);
}

/** Extends a lease still held (same token, not expired) by `ttlMs` from now; null once it is lost. */
export async function renewLease(q: Queryable, lease: Lease, ttlMs: number): Promise<Lease | null> {
  const rows = await q.all<LeaseRow>(
    `UPDATE job_leases SET expires_at = clock_timestamp() + $ttl::BIGINT * INTERVAL '1 millisecond'
      WHERE job = $job AND holder = $holder AND token = $token::BIGINT AND expires_at > clock_timestamp()
      RETURNING holder, token::TEXT AS token, expires_at`,
    { job: lease.job, holder: lease.holder, token: lease.token, ttl: ttlMs },
  );
  const row = rows[0];
  return row ? toLease(lease.job, row) : null;
}

/** Gives a held lease up at once (the token stays, so the next holder's is still larger). */
export async function releaseLease(q: Queryable, lease: Lease): Promise<void> {
  await q.run(
    `UPDATE job_leases SET expires_at = clock_timestamp()
      WHERE job = $job AND holder = $holder AND token = $token::BIGINT`,
    { job: lease.job, holder: lease.holder, token: lease.token },
  );
}

/**
 * Inside the work's transaction: true while the lease is still this holder's and unexpired. It locks the lease row
 * (FOR SHARE) until the transaction ends, so no one can take the lease over between this check and the commit.
 */
export async function fenceLease(tx: Queryable, lease: Lease): Promise<boolean> {
  const rows = await tx.all(
    `SELECT 1 AS held FROM job_leases
      WHERE job = $job AND holder = $holder AND token = $token::BIGINT AND expires_at > clock_timestamp()
      FOR SHARE`,
    { job: lease.job, holder: lease.holder, token: lease.token },
  );
  return rows.length === 1;
}
