/**
 * The input columns of `units` and `ingest_typed`, the table of typed units the webhook ingest derives and
 * mergeUnits applies (the bulk ingest lands records straight into units: land-units.ts).
 */

export const TYPED_TABLE = 'ingest_typed';

/** The input columns of `units` that a record sets; derived and priced columns stay NULL until refresh. */
export const UNIT_INPUT_COLUMNS = [
  'unit_id',
  'pricing_model',
  'unit',
  'waba_id',
  'phone_number_id',
  'recipient_wa_id',
  'recipient_country',
  'market',
  'category',
  'pricing_type_in',
  'direction',
  'billable_reported',
  'opened_at',
  'expires_at',
  'template_name',
  'is_template',
  'in_csw',
  'in_fep',
  'status_final',
  'rate_in',
  'cost_in',
  'tier_in',
  'source',
] as const;
