/** The one script partners embed: registers every element. Vega is loaded later, only by chart elements. */
export { CiUsageChart } from './ci-usage-chart.js';
export { CiChargesChart } from './ci-charges-chart.js';
export { CiBalanceBreakdown } from './ci-balance-breakdown.js';
export { CiFundsTable } from './ci-funds-table.js';
export { CiAddFunds } from './ci-add-funds.js';
export { CiRunwayCard } from './ci-runway-card.js';
export { CiAutoRenewal } from './ci-auto-renewal.js';
export { setMessages } from './catalogue.js';
