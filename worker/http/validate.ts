/**
 * The one wrapper around zod + Hono's validator: every validation failure, whatever the target, becomes the same
 * problem+json 400 naming each field and reason.
 */
import type { Context, ValidationTargets } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { ValidationError, type InputIssue } from '../errors.js';

export function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues.map(
    (i) => ({ column: i.path.join('.') || undefined, reason: i.message }) as InputIssue,
  );
}

export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return validator(target, async (value: unknown, _c: Context) => {
    const r = await schema.safeParseAsync(value);
    if (!r.success) throw new ValidationError(`The request ${target} is not valid.`, issuesOf(r.error));
    return r.data as z.output<T>;
  });
}

/** Parses a JSON body with a schema, answering 400 for bad JSON as well as for bad fields. */
export async function parseJsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ValidationError('The request body is not valid JSON.');
  }
  const r = await schema.safeParseAsync(body);
  if (!r.success) throw new ValidationError('The request body is not valid.', issuesOf(r.error));
  return r.data as z.output<T>;
}
