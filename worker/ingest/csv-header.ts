/** Reads the column names from the first line of a CSV file, so DuckDB can read it without sniffing. */
export function parseCsvHeader(head: string): string[] {
  const firstLine = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const names: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < firstLine.length; i++) {
    const ch = firstLine[i];
    if (quoted) {
      if (ch === '"' && firstLine[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      names.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  names.push(cur.trim());
  return names.filter((n, i) => n !== '' || i < names.length - 1);
}
