/**
 * The shapes of the host capabilities that code below the edge calls: a temporary file DuckDB reads from a
 * path, and an outbound webhook POST to a checked address. A Node host implements them (node-host.ts); a host
 * without one leaves it out and its callers answer that it is missing.
 */

/** Writes bytes to a temporary file, calls fn with its path, and removes the file afterwards. */
export type WithTempFile = <T>(
  bytes: Uint8Array,
  extension: string,
  fn: (path: string) => Promise<T>,
) => Promise<T>;

export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  /** Whether the service may connect to this IP address. */
  readonly allowed: (address: string) => boolean;
}

/**
 * POSTs an outbound webhook, connecting only to an address `allowed` accepts (resolved once and pinned) and
 * never following a redirect.
 */
export type PostWebhook = (url: string, req: WebhookRequest) => Promise<{ status: number }>;
