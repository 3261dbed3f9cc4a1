/** Paths contributed by the domain areas; each area keeps its own module and is merged here. */
import { embedPaths } from './embed.js';
import { gatePaths } from './gate.js';
import { pricingPaths } from './pricing.js';

export const areaPaths: Record<string, unknown> = {
  ...embedPaths,
  ...gatePaths,
  ...pricingPaths,
};
