/**
 * The rate cards shipped in data/rate-cards (Meta's published cards, see docs/pricing-rules.md), each with its
 * sources, confidence and known gaps. Imported as JSON so every host has the same data.
 */
import brlPmp202607 from '../../data/rate-cards/brl-pmp-2026-07-01.json' with { type: 'json' };
import copPmp202607 from '../../data/rate-cards/cop-pmp-2026-07-01.json' with { type: 'json' };
import copPmp202610 from '../../data/rate-cards/cop-pmp-2026-10-01.json' with { type: 'json' };
import eurCbp202202 from '../../data/rate-cards/eur-cbp-2022-02-01.json' with { type: 'json' };
import eurPmp202604 from '../../data/rate-cards/eur-pmp-2026-04-01.json' with { type: 'json' };
import eurPmp202607 from '../../data/rate-cards/eur-pmp-2026-07-01.json' with { type: 'json' };
import inrPmp202507 from '../../data/rate-cards/inr-pmp-2025-07-01.json' with { type: 'json' };
import inrPmp202510 from '../../data/rate-cards/inr-pmp-2025-10-01.json' with { type: 'json' };
import inrPmp202601 from '../../data/rate-cards/inr-pmp-2026-01-01.json' with { type: 'json' };
import inrPmp202607 from '../../data/rate-cards/inr-pmp-2026-07-01.json' with { type: 'json' };
import inrPmp202610 from '../../data/rate-cards/inr-pmp-2026-10-01.json' with { type: 'json' };
import usdCbp202202 from '../../data/rate-cards/usd-cbp-2022-02-01.json' with { type: 'json' };
import usdCbp202306 from '../../data/rate-cards/usd-cbp-2023-06-01.json' with { type: 'json' };
import usdCbp202411 from '../../data/rate-cards/usd-cbp-2024-11-01.json' with { type: 'json' };
import usdPmp202507 from '../../data/rate-cards/usd-pmp-2025-07-01.json' with { type: 'json' };
import usdPmp202510 from '../../data/rate-cards/usd-pmp-2025-10-01.json' with { type: 'json' };
import usdPmp202601 from '../../data/rate-cards/usd-pmp-2026-01-01.json' with { type: 'json' };
import usdPmp202604 from '../../data/rate-cards/usd-pmp-2026-04-01.json' with { type: 'json' };
import usdPmp202607 from '../../data/rate-cards/usd-pmp-2026-07-01.json' with { type: 'json' };
import usdPmp202610 from '../../data/rate-cards/usd-pmp-2026-10-01.json' with { type: 'json' };

/** Raw card documents in the upload JSON shape; validated by the seed like any upload. */
export const SHIPPED_CARD_DOCUMENTS: readonly unknown[] = [
  brlPmp202607,
  copPmp202607,
  copPmp202610,
  eurCbp202202,
  eurPmp202604,
  eurPmp202607,
  inrPmp202507,
  inrPmp202510,
  inrPmp202601,
  inrPmp202607,
  inrPmp202610,
  usdCbp202202,
  usdCbp202306,
  usdCbp202411,
  usdPmp202507,
  usdPmp202510,
  usdPmp202601,
  usdPmp202604,
  usdPmp202607,
  usdPmp202610,
];
