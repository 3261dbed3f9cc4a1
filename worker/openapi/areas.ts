/** Paths contributed by the domain areas; each area keeps its own module and is merged here. */
import { analyticsPaths } from './analytics.js';
import { balancePaths } from './balance.js';
import { embedPaths } from './embed.js';
import { forecastPaths } from './forecasts.js';
import { gatePaths } from './gate.js';
import { ingestPaths } from './ingest.js';
import { pricingPaths } from './pricing.js';
import { usagePaths } from './usage.js';

export const areaPaths: Record<string, unknown> = {
  ...analyticsPaths,
  ...balancePaths,
  ...embedPaths,
  ...forecastPaths,
  ...gatePaths,
  ...ingestPaths,
  ...pricingPaths,
  ...usagePaths,
};
