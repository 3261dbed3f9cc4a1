/**
 * The one catalogue of errors the service answers with. Each case is a subclass of AppError with a fixed
 * HTTP status and machine code; `onError` in app.ts turns any of them into application/problem+json.
 */
export interface ProblemDetail {
  readonly [key: string]: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: ProblemDetail;
  constructor(status: number, code: string, message: string, detail: ProblemDetail = {}) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

/** One problem with one input field or row. `line` is 1-based in the submitted body when known. */
export interface InputIssue {
  readonly line?: number;
  readonly column?: string;
  readonly reason: string;
}

export class ValidationError extends AppError {
  constructor(message: string, issues: readonly InputIssue[] = []) {
    super(400, 'invalid_request', message, { issues });
  }
}

export class BatchRejectedError extends AppError {
  constructor(message: string, issues: readonly InputIssue[], extra: ProblemDetail = {}) {
    super(422, 'batch_rejected', message, { issues, ...extra });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid bearer token is required.') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'This token does not allow that action.') {
    super(403, 'forbidden', message);
  }
}

/** A browser origin that no partner allows (answered to a refused CORS preflight). */
export class OriginNotAllowedError extends AppError {
  constructor(origin: string) {
    super(
      403,
      'origin_not_allowed',
      `The origin ${origin} is not in the allowed origins of any partner. The partner's administrator adds it ` +
        'with PATCH /v1/partners/{id} (allowed_origins).',
      { origin },
    );
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} was not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, detail: ProblemDetail = {}) {
    super(409, 'conflict', message, detail);
  }
}

/** An amount or a balance beyond the service's money limits (worker/ledger/limits.ts). */
export class LimitExceededError extends AppError {
  constructor(message: string, detail: ProblemDetail = {}) {
    super(409, 'limit_exceeded', message, detail);
  }
}

/**
 * A ledger row the ledger's door refuses: a currency other than the account's, an amount finer than the ledger's
 * scale, a sign its kind cannot have, a status its kind cannot take, or a pending top-up resolved twice.
 */
export class LedgerRefusedError extends AppError {
  constructor(message: string, detail: ProblemDetail = {}) {
    super(409, 'ledger_refused', message, detail);
  }
}

/**
 * A replica whose analytics store is not the usage source of the shared money plane (worker/ledger/usage-source.ts):
 * its usage would post the difference against charges another store's usage posted, so it takes no ingest and
 * posts no usage charge.
 */
export class NotUsageSourceError extends AppError {
  constructor(
    detail: ProblemDetail = {},
    title = "This replica's analytics is not the usage source; send ingest to the replica that holds it " +
      '(usage_source) or start it with CLAIM_USAGE_SOURCE=true.',
  ) {
    super(409, 'not_usage_source', title, detail);
  }
}

/**
 * A replica that is not the ingest writer forwards ingest to the writer the money plane names
 * (worker/http/forward-to-writer.ts); the writer did not answer in time or could not be reached. Nothing was
 * written here; the writer may have taken the request if it timed out, and a retry of the same body is idempotent.
 */
export class WriterUnreachableError extends AppError {
  constructor(detail: ProblemDetail) {
    super(
      503,
      'writer_unreachable',
      'The ingest writer (usage_source) could not be reached from this replica; nothing was written here. ' +
        'Send the request again in a few seconds (a new writer may be taking over), or to usage_source.url.',
      detail,
    );
  }
}

export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used with a different request body.',
    );
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `The request body is larger than the limit of ${limitBytes} bytes.`, {
      limit_bytes: limitBytes,
    });
  }
}

/** A batch too large for the continuous intake, which takes small batches only: the bulk path takes it. */
export class IntakeBatchTooLargeError extends AppError {
  constructor(what: 'records' | 'bytes', limit: number) {
    super(
      413,
      'intake_batch_too_large',
      `The continuous intake takes at most ${limit} ${what} per request; send larger batches to POST /v1/ingest.`,
      { limit, unit: what, bulk_path: '/v1/ingest' },
    );
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(contentType: string, supported: readonly string[]) {
    super(415, 'unsupported_media_type', `Content type "${contentType}" is not supported.`, { supported });
  }
}

export class NotAcceptableError extends AppError {
  constructor(supported: readonly string[]) {
    super(406, 'not_acceptable', 'None of the requested representations is available.', { supported });
  }
}

/** Service-defined out-of-funds answer (DOMAIN.md §7.4): HTTP 402, code insufficient_balance. */
export class InsufficientFundsError extends AppError {
  constructor(message: string, detail: ProblemDetail = {}) {
    super(402, 'insufficient_balance', message, detail);
  }
}

/** A paid send no rate card prices: the gate cannot reserve its cost from the balance (HTTP 402). */
export class SendUnpricedError extends AppError {
  constructor(message: string, detail: ProblemDetail = {}) {
    super(402, 'send_unpriced', message, detail);
  }
}

/** The gate refuses a free-form message outside the customer service window (DOMAIN.md §2.1, §4.1). */
export class WindowClosedError extends AppError {
  constructor(message: string, detail: ProblemDetail = {}) {
    super(422, 'window_closed', message, detail);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'unavailable', message);
  }
}

/** A read-only SQL query that is not a single SELECT, or touches what the sandbox forbids (files, settings…). */
export class QueryNotAllowedError extends AppError {
  constructor(message: string) {
    super(400, 'query_not_allowed', message);
  }
}

/** A read-only SQL query DuckDB could not parse or bind; the reason is DuckDB's own message. */
export class QueryInvalidError extends AppError {
  constructor(reason: string) {
    super(400, 'query_invalid', 'The query is not valid SQL over the documented views.', { reason });
  }
}

/** A read-only SQL query cut off by its time or memory limit. */
export class QueryLimitError extends AppError {
  constructor(limit: 'time' | 'memory', message: string, detail: ProblemDetail = {}) {
    super(422, 'query_limit_exceeded', message, { limit, ...detail });
  }
}

/** More work than the service takes at once; the client retries after `retryAfterSeconds`. */
export class TooManyRequestsError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'too_many_requests', message, { retry_after_seconds: retryAfterSeconds });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The ingest lake cannot be replayed as it is (operator tooling: `npm run rebuild`): an unreadable folder, two
 * batches under one number, a batch without its metadata, or a batch the rebuilt store refused.
 */
export class LakeReplayError extends AppError {
  constructor(message: string) {
    super(500, 'lake_replay_failed', message);
  }
}
