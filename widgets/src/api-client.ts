/**
 * The one HTTP client of the widgets: adds the embed token, turns problem+json answers into ApiError, and never
 * lets a network failure escape as anything else.
 */
import { MESSAGES } from './messages.js';

/** A failed call, carrying the service's problem code and a message safe to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | readonly string[] | undefined | null>;

export interface ApiClient {
  get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T>;
  send<T>(
    method: 'POST' | 'PUT' | 'PATCH',
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<T>;
}

/** Builds a URL under the API base with the query's defined values (arrays joined with commas). */
export function buildUrl(apiBase: string, path: string, query: Query = {}): string {
  const base = apiBase.replace(/\/+$/, '');
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    const s = Array.isArray(v) ? v.join(',') : String(v);
    if (s !== '') params.set(k, s);
  }
  const qs = params.toString();
  return `${base}${path}${qs ? `?${qs}` : ''}`;
}

/** Maps a response status and problem body to the message the widget shows. */
export function problemMessage(status: number, problem: { detail?: string; code?: string }): string {
  if (status === 401) return /expired/i.test(problem.detail ?? '') ? MESSAGES.expired : MESSAGES.unauthorized;
  if (status === 403) return MESSAGES.forbidden;
  if (status === 404) return MESSAGES.notFound;
  return problem.detail ?? MESSAGES.unknown;
}

async function toApiError(res: Response): Promise<ApiError> {
  let problem: { detail?: string; code?: string; title?: string } = {};
  try {
    problem = (await res.json()) as typeof problem;
  } catch {
    // A non-JSON error body (a proxy's HTML page) still becomes a readable error.
  }
  return new ApiError(res.status, problem.code ?? `http_${res.status}`, problemMessage(res.status, problem));
}

/** Creates a client bound to one API base and token. */
export function createApiClient(apiBase: string, token: string): ApiClient {
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  async function request<T>(url: string, init: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'network', MESSAGES.network);
    }
    if (!res.ok) throw await toApiError(res);
    return (await res.json()) as T;
  }
  return {
    get: (path, query, signal) =>
      request(buildUrl(apiBase, path, query), { headers, ...(signal ? { signal } : {}) }),
    send: (method, path, body, extra = {}) =>
      request(buildUrl(apiBase, path), {
        method,
        headers: { ...headers, 'content-type': 'application/json', ...extra },
        body: JSON.stringify(body),
      }),
  };
}
