/**
 * Acceptance of small batches of billing-unit records (DOMAIN.md §9.2) into the continuous intake: the body is
 * read by the synchronous ingest's own readers and checked by its own validation (stage-units.ts,
 * validate-staged-units.ts, the foreign-unit refusal of known-units.ts), on a reader connection so that nothing
 * waits for the writer. A refused batch leaves nothing in the intake and gets the 422 POST /v1/ingest gives.
 */
import type { Db, Queryable } from '../db/db.js';
import { IntakeBatchTooLargeError, ServiceUnavailableError } from '../errors.js';
import { CSV_HEAD_BYTES, readCsvHeader } from '../ingest/csv-header.js';
import { decodeArrowColumns } from '../ingest/decode-arrow.js';
import type { UnitFormat } from '../ingest/ingest-format.js';
import { refuseForeignUnits } from '../ingest/known-units.js';
import {
  COLUMNS_TABLE,
  STAGE_TABLE,
  fileSource,
  stageRaw,
  stagedColumnsSource,
  type RawSource,
} from '../ingest/stage-units.js';
import { stagedUnitsAreClean, validateStagedUnits } from '../ingest/validate-staged-units.js';
import type { WithTempFile } from '../kernel/host-io.js';
import type { ContinuousIntake, IntakeAnswer } from './continuous-intake.js';
import { pickRecords, recordColumnsOf, recordKeys } from './record-columns.js';

export interface RecordIntakeInput {
  readonly format: UnitFormat;
  readonly bytes: Uint8Array;
  readonly partnerId: string | null;
  readonly now: Date;
}

/** Where the body is read from: the store, and the host's temp files for what DuckDB reads from a path. */
export interface RecordReaders {
  readonly db: Db;
  readonly withTempFile?: WithTempFile;
}

type OpenSource = (q: Queryable) => Promise<RawSource>;

/** Runs `check` with the body as a raw source, opened the way ingest-source.ts opens it. */
function withSource<T>(
  readers: RecordReaders,
  input: RecordIntakeInput,
  check: (open: OpenSource) => Promise<T>,
): Promise<T> {
  const { format, bytes } = input;
  if (format === 'arrow') {
    const { columns } = decodeArrowColumns(bytes);
    return check((q) => stagedColumnsSource(q, columns));
  }
  const csvHeader =
    format === 'csv'
      ? readCsvHeader(bytes.subarray(0, CSV_HEAD_BYTES), bytes.length <= CSV_HEAD_BYTES)
      : undefined;
  if (!readers.withTempFile) throw new ServiceUnavailableError(`This host cannot load ${format} files.`);
  return readers.withTempFile(bytes, format, (path) => check((q) => fileSource(q, path, format, csvHeader)));
}

/** Stages, counts and checks the records; answers their staged text in line order. */
async function checkedRecords(
  q: Queryable,
  open: OpenSource,
  input: RecordIntakeInput,
  maxRecords: number,
): Promise<ReturnType<typeof recordColumnsOf>> {
  try {
    await stageRaw(q, await open(q), input.format);
    const [count] = await q.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM temp.${STAGE_TABLE}`);
    if ((count?.n ?? 0) > maxRecords) throw new IntakeBatchTooLargeError('records', maxRecords);
    if (!(await stagedUnitsAreClean(q, input.partnerId))) await validateStagedUnits(q, input.partnerId);
    await refuseForeignUnits(
      q,
      `SELECT u.unit_id, u.waba_id FROM units u WHERE u.unit_id IN (SELECT unit_id FROM temp.${STAGE_TABLE})`,
      input.partnerId,
    );
    return recordColumnsOf(await q.columns(`SELECT * EXCLUDE (line) FROM temp.${STAGE_TABLE} ORDER BY line`));
  } finally {
    // The connection serves other reads afterwards.
    for (const t of [STAGE_TABLE, COLUMNS_TABLE, 'ingest_issues'])
      await q.run(`DROP TABLE IF EXISTS temp.${t}`).catch(() => undefined);
  }
}

export async function acceptRecords(
  intake: ContinuousIntake,
  readers: RecordReaders,
  input: RecordIntakeInput,
): Promise<IntakeAnswer> {
  const { maxRecords, maxRecordBytes } = intake.settings;
  if (input.bytes.length > maxRecordBytes) throw new IntakeBatchTooLargeError('bytes', maxRecordBytes);
  const { db } = readers;
  const session = db.readSession?.bind(db) ?? ((fn) => db.transaction(fn));
  const { columns, rows } = await withSource(readers, input, (open) =>
    session((q) => checkedRecords(q, open, input, maxRecords)),
  );
  return intake.accept({
    partnerId: input.partnerId,
    format: input.format,
    keys: await recordKeys(columns, rows),
    text: (fresh) => JSON.stringify(pickRecords(columns, fresh)),
    rows,
    at: input.now,
  });
}
