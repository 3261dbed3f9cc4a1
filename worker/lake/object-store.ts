/**
 * Where the ingest lake keeps its durable copy when the local disk may be lost (a container's disk): an object
 * store reached by keys relative to the lake's root. The S3 API is the one implementation (s3-object-store.ts:
 * Amazon S3, Cloudflare R2, any S3-compatible server); the port keeps the lake's logic free of it.
 */
export interface ObjectStore {
  /** What the errors and log lines call it: s3://bucket/prefix, never a credential. */
  readonly name: string;
  /** Uploads a local file under a key; the same key uploaded again is replaced by the same bytes. */
  put(key: string, fromPath: string): Promise<void>;
  /** Removes keys (absent ones are no error). */
  remove(keys: readonly string[]): Promise<void>;
  /** Every key under the lake's root, in name order. */
  list(): Promise<string[]>;
  /** Downloads a key into a local file (written under a temporary name, renamed when complete). */
  get(key: string, toPath: string): Promise<void>;
}
