/**
 * The one validation path of the HTTP edge: every part of a request (query, path, headers, JSON body) is checked
 * against its zod schema here, and every failure, whatever the part, becomes the same problem+json 400 naming
 * each field and reason. Route definitions (worker/routes/define-route.ts) build their validators from here; a
 * handler that must pick the body's format first calls parseJsonBody with the schema its route documents.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { ValidationError, type InputIssue } from '../errors.js';

export type InputTarget = 'query' | 'param' | 'header' | 'json';

export function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues.map(
    (i) => ({ column: i.path.join('.') || undefined, reason: i.message }) as InputIssue,
  );
}

/** zod issues of a query string; an unknown parameter is named as the column it is about. */
export function queryIssues(error: z.ZodError): InputIssue[] {
  return error.issues.flatMap((i): InputIssue[] =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ column: k, reason: 'is not a known parameter' }))
      : issuesOf(new z.ZodError([i])),
  );
}

function invalid(target: InputTarget, error: z.ZodError): ValidationError {
  if (target === 'query') return new ValidationError('The request query is not valid.', queryIssues(error));
  if (target === 'json') return new ValidationError('The request body is not valid.', issuesOf(error));
  return new ValidationError(`The request ${target} is not valid.`, issuesOf(error));
}

/** Checks one part of a request; throws the 400 problem when it does not pass. No schema refines asynchronously. */
export function checkInput<T extends z.ZodType>(target: InputTarget, schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(target, r.error);
  return r.data;
}

/** The query string as zod sees it: one value → string, a repeated parameter → string[]. */
export function queryObject(c: Context): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(c.req.queries())) out[k] = v.length === 1 ? (v[0] ?? '') : v;
  return out;
}

/** Parses a JSON body with a schema, answering 400 for bad JSON as well as for bad fields. */
export async function parseJsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
  return checkInput('json', schema, body);
}

/** The value of a request part as its schema sees it (headers: only those the schema names). */
function partOf(c: Context, target: Exclude<InputTarget, 'json'>, schema: z.ZodType): unknown {
  if (target === 'query') return queryObject(c);
  if (target === 'param') return c.req.param();
  const names = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  return Object.fromEntries(names.map((n) => [n, c.req.header(n)]));
}

/** One part of a request and the schema it must pass. */
export interface InputPart {
  readonly target: InputTarget;
  readonly schema: z.ZodType;
}

/**
 * One middleware for every declared part of a route, checked in the given order and handed to
 * `c.req.valid(target)`: the send gate answers thousands of requests a second, and each extra middleware in the
 * chain costs it an awaited step.
 */
export function validate(parts: readonly InputPart[]): MiddlewareHandler {
  return async (c, next) => {
    for (const { target, schema } of parts) {
      const data =
        target === 'json'
          ? await parseJsonBody(c, schema)
          : checkInput(target, schema, partOf(c, target, schema));
      c.req.addValidatedData(target, data as Record<string, unknown>);
    }
    await next();
  };
}
