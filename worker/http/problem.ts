/** Every error answer is application/problem+json (RFC 9457) built here. */
import { HTTPException } from 'hono/http-exception';
import { AppError } from '../errors.js';
import { QueryError } from '../db/db.js';
import type { Logger } from '../env.js';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly [extra: string]: unknown;
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Maps any thrown value to a problem; unexpected errors are logged with their SQL and answered as 500. */
export function toProblem(err: unknown, log: Logger, requestId: string): Problem {
  if (err instanceof AppError) {
    return {
      type: `https://convo-insights.dev/problems/${err.code}`,
      title: TITLES[err.status] ?? 'Error',
      status: err.status,
      code: err.code,
      detail: err.message,
      request_id: requestId,
      ...err.detail,
    };
  }
  if (err instanceof HTTPException) {
    return {
      type: 'about:blank',
      title: TITLES[err.status] ?? 'Error',
      status: err.status,
      code: 'http_error',
      detail: err.message,
      request_id: requestId,
    };
  }
  if (err instanceof QueryError)
    log.error('query failed', { request_id: requestId, error: err.message, sql: err.sql });
  else
    log.error('unhandled error', {
      request_id: requestId,
      error: err instanceof Error ? err.stack : String(err),
    });
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    code: 'internal',
    detail: 'Something went wrong on our side.',
    request_id: requestId,
  };
}
