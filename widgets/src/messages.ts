/** Every user-facing message of the widgets in one catalogue, so wording stays consistent and translatable. */
export const MESSAGES = {
  loading: 'Loading…',
  retry: 'Try again',
  expired: 'This view has expired. Reload the page to continue.',
  unauthorized: 'This view could not be authorised.',
  forbidden: 'This view is not allowed to show this data.',
  notFound: 'The requested data was not found.',
  network: 'The service could not be reached.',
  unknown: 'Something went wrong while loading this data.',
  noUsage: 'No usage in this period.',
  noCharges: 'No charges yet.',
  unpricedMessage: '{count} paid message could not be priced: the charges shown leave it out.',
  unpricedMessages: '{count} paid messages could not be priced: the charges shown leave them out.',
  unpricedConversation: '{count} paid conversation could not be priced: the charges shown leave it out.',
  unpricedConversations: '{count} paid conversations could not be priced: the charges shown leave them out.',
  noBalances: 'No phone numbers with a balance.',
  noNumbers: 'No phone numbers available.',
  noRunway: 'Not enough history to estimate the runway.',
  estimate: 'Estimate',
  showTable: 'Show data table',
  missingConfig: 'This widget needs the api-base and token attributes.',
} as const;

export type MessageKey = keyof typeof MESSAGES;
