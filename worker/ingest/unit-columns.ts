/**
 * The billing-unit record of DOMAIN.md §9.2: its columns, which are required, and the closed value sets the
 * ingest validates against. One list, shared by every format.
 */
export const UNIT_COLUMNS = [
  'unit_id',
  'pricing_model',
  'unit',
  'waba_id',
  'waba_timezone',
  'currency',
  'phone_number_id',
  'display_phone_number',
  'recipient_wa_id',
  'recipient_country',
  'market',
  'category',
  'pricing_type',
  'direction',
  'billable_reported',
  'opened_at',
  'expires_at',
  'template_name',
  'is_template',
  'in_csw',
  'in_fep',
  'status_final',
  'rate',
  'cost',
  'tier',
  'source',
  'ingested_at',
] as const;

export type UnitColumn = (typeof UNIT_COLUMNS)[number];

/** Columns without which a record cannot become a unit (waba_timezone and currency come from the WABA). */
export const REQUIRED_COLUMNS: readonly UnitColumn[] = [
  'unit_id',
  'pricing_model',
  'unit',
  'waba_id',
  'phone_number_id',
  'recipient_wa_id',
  'category',
  'opened_at',
];

export const ENUMS = {
  pricing_model: ['CBP', 'PMP', 'NBP'],
  unit: ['conversation', 'message'],
  category: [
    'business_initiated',
    'user_initiated',
    'marketing',
    'utility',
    'authentication',
    'authentication_international',
    'service',
    'marketing_lite',
    'referral_conversion',
    // Groups API (DOMAIN.md §4.4, §10.19): priced like their one-to-one category, never in a volume tier.
    'group_marketing',
    'group_utility',
    'group_service',
    // Meta Business Agent replies (R4b/R5): billed per token, so priced from the record's cost.
    'business_agent',
  ],
  pricing_type: [
    'regular',
    'free_customer_service',
    'free_entry_point',
    'free_tier',
    'free_group_customer_service',
  ],
  direction: ['business_initiated', 'user_initiated', 'unknown'],
  status_final: ['sent', 'delivered', 'read', 'failed'],
  source: ['webhook', 'meta_analytics', 'bsp_export', 'synthetic'],
} as const satisfies Partial<Record<UnitColumn, readonly string[]>>;

export const BOOLEAN_COLUMNS: readonly UnitColumn[] = [
  'billable_reported',
  'is_template',
  'in_csw',
  'in_fep',
];
export const TIMESTAMP_COLUMNS: readonly UnitColumn[] = ['opened_at', 'expires_at', 'ingested_at'];
export const DECIMAL_COLUMNS: readonly UnitColumn[] = ['rate', 'cost'];
