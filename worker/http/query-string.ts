/** A query string validated by a strict zod schema: unknown parameters are named as issues, like bad values. */
import type { Context } from 'hono';
import { z } from 'zod';
import { ValidationError, type InputIssue } from '../errors.js';
import { issuesOf } from './validate.js';

export function parseQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  const parsed = schema.safeParse(queryObject(c));
  if (!parsed.success)
    throw new ValidationError('The request query is not valid.', queryIssues(parsed.error));
  return parsed.data as z.output<T>;
}

/** zod issues as problem issues; an unknown parameter is named as the column it is about. */
export function queryIssues(error: z.ZodError): InputIssue[] {
  return error.issues.flatMap((i): InputIssue[] =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ column: k, reason: 'is not a known parameter' }))
      : issuesOf(new z.ZodError([i])),
  );
}

/** The query string as zod sees it: one value → string, a repeated parameter → string[]. */
export function queryObject(c: Context): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(c.req.queries())) out[k] = v.length === 1 ? (v[0] ?? '') : v;
  return out;
}
