/** The example rate cards of DOMAIN.md §3 shipped in data/rate-cards, in effective order per currency. */
import inr2025 from '../../data/rate-cards/inr-pmp-2025-07-01.json' with { type: 'json' };
import inr2026 from '../../data/rate-cards/inr-pmp-2026-01-01.json' with { type: 'json' };
import r1 from '../../data/rate-cards/usd-cbp-2022-02-01.json' with { type: 'json' };
import r2 from '../../data/rate-cards/usd-cbp-2023-06-01.json' with { type: 'json' };
import r3 from '../../data/rate-cards/usd-cbp-2024-11-01.json' with { type: 'json' };
import pmp from '../../data/rate-cards/usd-pmp-2025-07-01.json' with { type: 'json' };

/** Raw card documents in the upload JSON shape; validated by the seed like any upload. */
export const SHIPPED_CARD_DOCUMENTS: readonly unknown[] = [r1, r2, r3, pmp, inr2025, inr2026];
