/** The input formats POST /v1/ingest and the CLI accept, and how a Content-Type maps onto them. */
export const INGEST_FORMATS = ['csv', 'ndjson', 'parquet', 'arrow', 'webhooks'] as const;
export type IngestFormat = (typeof INGEST_FORMATS)[number];
export type UnitFormat = Exclude<IngestFormat, 'webhooks'>;

export const CONTENT_TYPES: Readonly<Record<string, IngestFormat>> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/vnd.apache.parquet': 'parquet',
  'application/vnd.apache.arrow.stream': 'arrow',
  'application/vnd.whatsapp.webhooks+x-ndjson': 'webhooks',
};

/** The format named by a Content-Type header (parameters such as charset ignored), or null. */
export function formatFromContentType(contentType: string | undefined): IngestFormat | null {
  const base = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return CONTENT_TYPES[base] ?? null;
}

/** The format a file name suggests, for the CLI when --format is not given. */
export function formatFromFileName(name: string): IngestFormat | null {
  const n = name.toLowerCase();
  if (n.endsWith('.csv')) return 'csv';
  if (n.endsWith('.webhooks.ndjson') || n.endsWith('.webhooks.jsonl')) return 'webhooks';
  if (n.endsWith('.ndjson') || n.endsWith('.jsonl') || n.endsWith('.json')) return 'ndjson';
  if (n.endsWith('.parquet')) return 'parquet';
  if (n.endsWith('.arrow') || n.endsWith('.arrows')) return 'arrow';
  return null;
}
