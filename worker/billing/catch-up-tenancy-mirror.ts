/**
 * The tenancy mirror caught up with the money plane (tenancy/refresh-tenancy-mirror.ts), with what a tenancy
 * write would have done after its own copy had the process not stopped before it: the WABAs whose portfolio
 * moved are re-priced, and the copied rows are recorded in the ingest lake's reference log (so a rebuild from
 * the lake sees them), all in the copy's analytics transaction. Run at startup, before anything reads the
 * mirror, and by any process that wants the tenancy writes other processes made.
 */
import type { Db } from '../db/db.js';
import type { DomainContext } from '../kernel/domain-context.js';
import { archiveReference } from '../lake/archive-reference.js';
import type { IngestLake } from '../lake/ingest-lake.js';
import type { ReferenceChange } from '../lake/reference-tables.js';
import { MIRROR_ORDER } from '../tenancy/mirror-tenancy.js';
import { refreshTenancyMirror, type MirrorRefresh } from '../tenancy/refresh-tenancy-mirror.js';
import { repriceWabaMonths } from './reprice-for-card.js';

export interface MirrorCatchUpDeps {
  readonly db: Db;
  readonly money: Db;
  readonly domain: DomainContext;
  readonly host: { readonly ingestLake?: IngestLake | undefined };
}

/** Null with one store (STORE=duckdb): the mirror is the table itself. */
export async function catchUpTenancyMirror(deps: MirrorCatchUpDeps): Promise<MirrorRefresh | null> {
  return refreshTenancyMirror(deps.money, deps.db, {
    analytics: async (tx, r) => {
      await repriceWabaMonths(tx, r.repriceWabas, deps.domain, deps);
      const tables = MIRROR_ORDER.flatMap((table) => {
        const keys = r.copied[table];
        return keys ? [{ table, keys }] : [];
      });
      const change: ReferenceChange =
        r.repriceWabas.length > 0
          ? { tables, effect: { kind: 'reprice_wabas', waba_ids: r.repriceWabas } }
          : { tables };
      await archiveReference(tx, deps.host.ingestLake, change, deps.domain.now());
    },
  });
}
