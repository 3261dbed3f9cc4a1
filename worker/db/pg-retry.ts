/**
 * Which failures a Postgres transaction may simply run again: a serialization failure (40001, SERIALIZABLE found
 * no one-at-a-time order for it and a concurrent one) and a deadlock (40P01, the server chose it as the victim).
 * Nothing of it committed, so running it again from the start is safe.
 */
const RETRYABLE = new Set(['40001', '40P01']);

/** The SQLSTATE of an error or of one of its causes (a QueryError wraps the driver's error). */
export function sqlStateOf(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = e.cause;
  }
  return undefined;
}

export function isRetryable(err: unknown): boolean {
  const state = sqlStateOf(err);
  return state !== undefined && RETRYABLE.has(state);
}

/**
 * A random pause below a ceiling that doubles with each attempt (10 ms, 20 ms, … up to 1 s), so that rivals for
 * one hot row stop meeting: at a load of 16 on 2 cores, nine writers of one row exhausted 12 attempts capped at
 * 250 ms.
 */
export function retryPause(attempt: number): Promise<void> {
  const ceiling = Math.min(1000, 10 * 2 ** (attempt - 1));
  return new Promise((res) => setTimeout(res, Math.random() * ceiling));
}
