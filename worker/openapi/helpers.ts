/** Small builders that keep the per-area path documents short. */
export const problemRef = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
};

export function errors(...statuses: number[]): Record<string, unknown> {
  return Object.fromEntries(
    statuses.map((s) => [String(s), { description: 'Problem', content: problemRef }]),
  );
}

export function jsonBody(schema: Record<string, unknown>): Record<string, unknown> {
  return { required: true, content: { 'application/json': { schema } } };
}

export function ok(
  description: string,
  schema: Record<string, unknown> = { type: 'object' },
  status = '200',
): Record<string, unknown> {
  return { [status]: { description, content: { 'application/json': { schema } } } };
}

export function queryParam(
  name: string,
  description: string,
  schema: Record<string, unknown> = { type: 'string' },
  required = false,
) {
  return { name, in: 'query', required, description, schema };
}

export function pathParam(name: string, description = name) {
  return { name, in: 'path', required: true, description, schema: { type: 'string' } };
}
