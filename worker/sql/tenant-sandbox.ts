/**
 * One tenant's data in a DuckDB of its own: an in-memory instance that never had access to files or the network
 * (`enable_external_access=false` from its creation, no extension loading), into which the tenant's rows are
 * streamed chunk by chunk from the store. Then its memory limit is set and its configuration locked, so a query
 * cannot read a file, attach a database, load an extension or change a setting, and the only data it can reach
 * is what was copied in: other tenants' rows are simply not there. Off the usage source the rollup tables come
 * from the published rollups and there is no units table at all (an empty one would answer wrongly); a query that
 * names it is refused (run-sandbox-query.ts).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { bind } from '../db/duckdb-store.js';
import { TENANT_TABLES, UNIT_TABLES, tenantTableQuery } from '../exports/tenant-tables.js';
import type { UsageSourceClaim } from '../ledger/usage-source.js';
import type { RollupTables } from '../usage/rollup-tables.js';

export interface SandboxScope {
  readonly phoneNumberIds: readonly string[];
  readonly fromDay: string;
  readonly toDay: string;
  /** The ledger read on the money plane when it is a store of its own. */
  readonly ledgerRows?: string;
  /** The rollups the rollup tables are copied from; absent = the store's own. */
  readonly rollups?: RollupTables;
  /** Set off the usage source (the source, named in the refusal): no units table is made. */
  readonly usageSource?: UsageSourceClaim;
}

const LOCKED_DOWN = {
  enable_external_access: 'false',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  allow_community_extensions: 'false',
  allow_unsigned_extensions: 'false',
  threads: '1',
};

export class TenantSandbox {
  private constructor(
    readonly instance: DuckDBInstance,
    readonly asOf: Date,
    /** The usage source, when this sandbox was built without the units it alone holds. */
    readonly usageSource: UsageSourceClaim | undefined,
  ) {}

  /** Copies the scope's tables from `source` and locks the sandbox; memoryLimitMb is what queries may use. */
  static async build(
    source: DuckDBInstance,
    scope: SandboxScope,
    memoryLimitMb: number,
  ): Promise<TenantSandbox> {
    const asOf = new Date();
    const instance = await DuckDBInstance.create(':memory:', LOCKED_DOWN);
    const conn = await instance.connect();
    const src = await source.connect();
    try {
      await src.run("SET TimeZone = 'UTC'");
      const tables = scope.usageSource
        ? TENANT_TABLES.filter((t) => !UNIT_TABLES.includes(t))
        : TENANT_TABLES;
      for (const table of tables) await copyTable(src, conn, table, scope);
      const used = await conn.runAndReadAll(
        'SELECT CAST(coalesce(sum(memory_usage_bytes), 0) AS BIGINT) AS b FROM duckdb_memory()',
      );
      const usedMb = Math.ceil(Number(used.getRowsJson()[0]?.[0] ?? 0) / 2 ** 20);
      // The copied tables live in the same buffer pool: the query budget comes on top of them.
      await conn.run(`SET memory_limit = '${usedMb + memoryLimitMb}MB'`);
      await conn.run("SET GLOBAL TimeZone = 'UTC'");
      await conn.run('SET lock_configuration = true');
    } catch (err) {
      instance.closeSync();
      throw err;
    } finally {
      src.closeSync();
      conn.closeSync();
    }
    return new TenantSandbox(instance, asOf, scope.usageSource);
  }

  close(): void {
    this.instance.closeSync();
  }
}

async function copyTable(
  src: DuckDBConnection,
  dst: DuckDBConnection,
  table: (typeof TENANT_TABLES)[number],
  scope: SandboxScope,
): Promise<void> {
  const { sql, params } = tenantTableQuery(table, scope);
  const b = bind(params);
  const result = await src.stream(sql, b.values, b.types);
  const names = result.columnNames();
  const types = result.columnTypes();
  const columns = names.map((n, i) => `"${n}" ${types[i]?.toString() ?? 'VARCHAR'}`);
  await dst.run(`CREATE TABLE ${table} (${columns.join(', ')})`);
  const appender = await dst.createAppender(table);
  try {
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
