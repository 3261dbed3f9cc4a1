/**
 * Pieces of route definitions shared across areas: problem answers, JSON answers, the Idempotency-Key header,
 * path ids, and the answer fields that say how fresh and complete data is (data_through, unpriced_units,
 * account_start). The document publishes them as written here; the validators use the same schemas.
 */
import type { RouteConfig } from '@hono/zod-openapi';
import { z } from 'zod';
import { MAX_REQUEST_AMOUNT } from '../ledger/limits.js';

type Responses = RouteConfig['responses'];
/** A zod schema, or an OpenAPI schema object where an answer is no JSON the service builds from zod. */
type MediaSchema = z.ZodType | Readonly<Record<string, unknown>>;

/** Problem answers (application/problem+json) for the given statuses. */
export function errors(...statuses: number[]): Responses {
  const content = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
  return Object.fromEntries(statuses.map((s) => [String(s), { description: 'Problem', content }]));
}

/** A JSON answer. */
export function ok(description: string, schema: MediaSchema = { type: 'object' }, status = '200'): Responses {
  return { [status]: { description, content: { 'application/json': { schema } } } } as Responses;
}

/** A JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

/** The `{id}` of a path, named as the document names it. */
export const idPath = (description = 'id') => z.object({ id: z.string().meta({ description }) });

export const phoneIdPath = idPath('Phone number id');

const IDEMPOTENCY =
  'Same key + same body answers the first answer again (Idempotent-Replayed: true); a different body ' +
  'answers 422 idempotency_key_reused';

/** The Idempotency-Key header where a repeat would move money twice. */
export const idempotencyKeyRequired = z.object({
  'Idempotency-Key': z
    .string({ error: 'required header' })
    .min(1, 'required header')
    .max(255, 'required header')
    .meta({ description: IDEMPOTENCY }),
});

/** The Idempotency-Key header where a repeat would only quote or save settings twice. */
export const idempotencyKeyOptional = z.object({
  'Idempotency-Key': z
    .string()
    .min(1, 'must be 1 to 255 characters')
    .max(255, 'must be 1 to 255 characters')
    .optional()
    .meta({ description: IDEMPOTENCY }),
});

export const dataThroughSchema = z.iso
  .datetime()
  .nullable()
  .meta({
    example: '2026-11-30T23:58:12.000Z',
    description:
      'The latest unit received for the answer’s numbers (its opened_at, UTC); null when none has a unit yet. ' +
      'Later units have not arrived yet: a feed silent for longer than STALE_DATA_AFTER_MS raises stale_data',
  });

const unpricedGroup = z.object({
  market: z.string().nullable().meta({ example: 'North America' }),
  category: z.string().meta({ example: 'marketing' }),
  unit: z.enum(['conversation', 'message']),
  currency: z.string().meta({ example: 'USD' }),
  count: z.int(),
});

export const unpricedUnitsFields = {
  count: z.int(),
  by: z.array(unpricedGroup),
  message: z.string().nullable().meta({
    example:
      '3 paid messages could not be priced (no rate card or record rate for their market and category); …',
  }),
};

export const unpricedUnitsSchema = z.object(unpricedUnitsFields).meta({
  description:
    'Paid units no rate card and no record rate priced: amounts leave them out (never counted as 0), this ' +
    'says how many, in which markets and categories',
});

export const accountStartAnswer = z.object({
  phone_number_id: z.string(),
  starts_on: z.iso
    .date()
    .nullable()
    .meta({ description: 'WABA-local day from which usage charges debit the balance; null = not started' }),
  source: z.enum(['partner', 'first_topup']).nullable(),
  set_on: z.iso.date().nullable().meta({ description: 'The partner’s date, when set' }),
  first_topup_on: z.iso.date().nullable(),
});

/** How an amount a request names is documented (the rule itself is params.ts's). */
export function amountDoc(description = 'Exact decimal in the WABA currency') {
  return {
    example: '50.000000',
    description: `${description}, at most ${MAX_REQUEST_AMOUNT} (MAX_REQUEST_AMOUNT); 400 above`,
  };
}

export const moneySchema = z
  .string()
  .meta({ example: '50.000000', description: 'Exact decimal in the WABA currency' });

/** An answer in several media types, with the problems it may answer instead. */
export function answers(
  description: string,
  content: Readonly<Record<string, MediaSchema>>,
  statuses: number[],
): Responses {
  const media = Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }]));
  return { '200': { description, content: media }, ...errors(...statuses) } as Responses;
}

export const CSV_ANSWER = { 'text/csv': { type: 'string' } };
export const ARROW_ANSWER = { 'application/vnd.apache.arrow.stream': { type: 'string', format: 'binary' } };
export const PARQUET_ANSWER = { 'application/vnd.apache.parquet': { type: 'string', format: 'binary' } };

/** Tabular answers: JSON plus the typed file formats. */
export function tabular(description: string, json: MediaSchema, statuses: number[]): Responses {
  return answers(
    description,
    { 'application/json': json, ...CSV_ANSWER, ...ARROW_ANSWER, ...PARQUET_ANSWER },
    statuses,
  );
}

/** The Problem component every error answer refers to (worker/http/problem.ts builds it). */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  code: z.string(),
  detail: z.string().optional(),
  issues: z
    .array(
      z.object({ line: z.int().optional(), column: z.string().optional(), reason: z.string().optional() }),
    )
    .optional(),
});
