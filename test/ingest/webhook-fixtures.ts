/** Cloud API webhook envelopes (DOMAIN.md §6.1–6.3) for tests. */
export const at = (iso: string): string => String(Math.floor(Date.parse(iso) / 1000));

export interface Status {
  id: string;
  status: string;
  timestamp: string;
  recipient_id?: string;
  [k: string]: unknown;
}

export function envelope(
  waba: string,
  phone: string,
  statuses: readonly Status[],
  messages: readonly Record<string, unknown>[] = [],
): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: waba,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: phone },
              ...(statuses.length ? { statuses } : {}),
              ...(messages.length ? { messages } : {}),
            },
          },
        ],
      },
    ],
  });
}

export const cbp = (conversation: string, category = 'marketing') => ({
  conversation: { id: conversation, origin: { type: category } },
  pricing: { billable: category !== 'referral_conversion', pricing_model: 'CBP', category },
});

export const pmp = (category: string, type = 'regular') => ({
  pricing: { billable: type === 'regular', pricing_model: 'PMP', type, category },
});

export function status(id: string, s: string, iso: string, extra: Record<string, unknown> = {}): Status {
  return { id, status: s, timestamp: at(iso), recipient_id: '15551234567', ...extra };
}

export const lines = (...l: string[]) => l.join('\n') + '\n';
