/** Schemas shared by every area that answers with charges or data: freshness and unpriced paid units. */
export const dataThroughSchema = {
  type: 'string',
  format: 'date-time',
  nullable: true,
  example: '2026-11-30T23:58:12.000Z',
  description:
    'The latest unit received for the answer’s numbers (its opened_at, UTC); null when none has a unit yet. ' +
    'Later units have not arrived yet: a feed silent for longer than STALE_DATA_AFTER_MS raises stale_data',
};

const unpricedGroup = {
  type: 'object',
  properties: {
    market: { type: 'string', nullable: true, example: 'North America' },
    category: { type: 'string', example: 'marketing' },
    unit: { type: 'string', enum: ['conversation', 'message'] },
    currency: { type: 'string', example: 'USD' },
    count: { type: 'integer' },
  },
};

export const unpricedUnitsSchema = {
  type: 'object',
  description:
    'Paid units no rate card and no record rate priced: amounts leave them out (never counted as 0), this ' +
    'says how many, in which markets and categories',
  properties: {
    count: { type: 'integer' },
    by: { type: 'array', items: unpricedGroup },
    message: {
      type: 'string',
      nullable: true,
      example:
        '3 paid messages could not be priced (no rate card or record rate for their market and category); …',
    },
  },
};

export const accountStartSchema = {
  type: 'object',
  properties: {
    phone_number_id: { type: 'string' },
    starts_on: {
      type: 'string',
      format: 'date',
      nullable: true,
      description: 'WABA-local day from which usage charges debit the balance; null = not started',
    },
    source: { type: 'string', enum: ['partner', 'first_topup'], nullable: true },
    set_on: { type: 'string', format: 'date', nullable: true, description: 'The partner’s date, when set' },
    first_topup_on: { type: 'string', format: 'date', nullable: true },
  },
};
