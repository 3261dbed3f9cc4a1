/** Small billing-unit fixtures for the ingest tests, written by hand so expected counts are obvious. */
export const HEADER = [
  'unit_id',
  'pricing_model',
  'unit',
  'waba_id',
  'waba_timezone',
  'currency',
  'phone_number_id',
  'recipient_wa_id',
  'category',
  'opened_at',
  'status_final',
  'billable_reported',
  'rate',
] as const;

export type Rec = Record<(typeof HEADER)[number], string>;

export function rec(id: string, over: Partial<Rec> = {}): Rec {
  return {
    unit_id: id,
    pricing_model: 'CBP',
    unit: 'conversation',
    waba_id: 'W1',
    waba_timezone: 'America/Los_Angeles',
    currency: 'USD',
    phone_number_id: 'P1',
    recipient_wa_id: '15551230000',
    category: 'marketing',
    opened_at: '2024-03-10T18:00:00Z',
    status_final: 'delivered',
    billable_reported: 'true',
    rate: '0.025',
    ...over,
  };
}

export function toCsv(rows: readonly Rec[], header: readonly string[] = HEADER): string {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return (
    [header.join(','), ...rows.map((r) => header.map((h) => q(r[h as keyof Rec] ?? '')).join(','))].join(
      '\n',
    ) + '\n'
  );
}

export function toNdjson(rows: readonly Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
