/**
 * The one HTTP client of the widgets: adds the embed token, turns problem+json answers into ApiError, and never
 * lets a network failure escape as anything else.
 */
import { ApiError } from './api-error.js';
import { diagnoseUnreachable } from './diagnose-fetch.js';
import type { MessageKey } from './messages.js';

export { ApiError };

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

/** Maps a response status and problem body to the catalogue message the widget shows. */
export function problemMessage(status: number, problem: { detail?: string; code?: string }): MessageKey {
  if (status === 401) return /expired/i.test(problem.detail ?? '') ? 'expired' : 'unauthorized';
  if (status === 403) return problem.code === 'origin_not_allowed' ? 'originNotAllowed' : 'forbidden';
  if (status === 404) return 'notFound';
  return 'unknown';
}

async function toApiError(res: Response): Promise<ApiError> {
  let problem: { detail?: string; code?: string; title?: string } = {};
  try {
    problem = (await res.json()) as typeof problem;
  } catch {
    // A non-JSON error body (a proxy's HTML page) still becomes a readable error.
  }
  const key = problemMessage(res.status, problem);
  // Auth and tenancy answers read better in the page's language; other problems carry a specific detail.
  const detail = key === 'unknown' ? problem.detail : undefined;
  return new ApiError(
    res.status,
    problem.code ?? `http_${res.status}`,
    key,
    { origin: location.origin },
    detail,
  );
}

/** Hands the error to the developer's console line; that module loads only when a call fails. */
function hinted(error: ApiError): ApiError {
  void import('./developer-hint.js').then((m) => m.hintDeveloper(error));
  return error;
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
      // The browser hides why a cross-origin fetch failed (CORS refusal and a dead host look alike): ask the
      // service with a request that needs no CORS permission.
      throw hinted(await diagnoseUnreachable(apiBase, token));
    }
    if (!res.ok) throw hinted(await toApiError(res));
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

/** A call whose failure only leaves a detail out (a runway not computable yet, a scope the token lacks). */
export async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    return null;
  }
}
