/**
 * The one CSV reader of text bodies (rate cards, forecast series, ingest headers): RFC 4180 quoted fields, ""
 * escapes, CRLF or LF line ends, a leading byte-order mark dropped. Bulk unit files are read by DuckDB itself.
 */

export interface CsvRecord {
  /** 1-based line of the record in the body (the header is line 1). */
  readonly line: number;
  readonly fields: readonly string[];
}

/** Splits CSV text into records, keeping each record's starting line for error messages. */
export function readCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const push = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    push();
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: recordLine, fields });
    fields = [];
  };
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"') quoted = true;
    else if (ch === ',') push();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (field !== '' || fields.length > 0) endRecord();
  return out;
}
