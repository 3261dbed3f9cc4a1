/**
 * Hostile and malformed ingest inputs for the fuzz suite, built programmatically from a deterministic seed: one
 * bad value per record (each a finding or a rule of the ingest edge) carried by CSV, NDJSON, Parquet and Arrow,
 * body-level damage per format, and webhook envelopes. Each case names the status, code and, where the answer
 * names one, the column it expects.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../worker/pricing/open-store.js';
import { HEADER, rec, toCsv, toNdjson, type Rec } from '../ingest/fixtures.js';
import { envelope } from '../ingest/webhook-fixtures.js';

export interface FuzzCase {
  readonly name: string;
  readonly type: string;
  readonly body: string | Uint8Array;
  readonly status: number;
  readonly code: string;
  /** A column the issues must name (record cases). */
  readonly column?: string;
}

const CSV = 'text/csv';
const NDJSON = 'application/x-ndjson';
const PARQUET = 'application/vnd.apache.parquet';
const ARROW = 'application/vnd.apache.arrow.stream';
const WEBHOOKS = 'application/vnd.whatsapp.webhooks+x-ndjson';

/** A small deterministic generator (mulberry32), so that every run sends the same bytes. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One bad value per record: [name, column, value]. Every one must be refused in every record format. */
function badValues(next: () => number): [string, keyof Rec | 'cost' | 'display_phone_number', string][] {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join('');
  return [
    ['negative rate', 'rate', '-1000.00'],
    ['negative cost', 'cost', `-${digits(3)}.${digits(2)}`],
    ['7-decimal rate', 'rate', '0.0000001'],
    ['7-decimal cost', 'cost', `0.${digits(6)}7`],
    ['rate past the cap', 'rate', '999999999999.99'],
    ['rate past DECIMAL(18,6)', 'rate', `1${digits(19)}`],
    ['rate in exponent form', 'rate', '1e-3'],
    ['rate with a sign', 'rate', '+0.5'],
    ['2 BC', 'opened_at', '0002-01-01 (BC)'],
    ['year 0000', 'opened_at', '0000-01-01T00:00:00Z'],
    ['year 9999', 'opened_at', '9999-12-31T00:00:00Z'],
    ['offset +25:00', 'opened_at', '2024-03-10T18:00:00+25:00'],
    ['epoch 1970', 'opened_at', String(Math.floor(next() * 1e8))],
    ['date that does not exist', 'opened_at', '2024-02-30T00:00:00Z'],
    ['phone id with a space', 'phone_number_id', 'pa1 '],
    ['phone id as a path', 'phone_number_id', '../../etc/passwd'],
    ['phone id of 10 KB', 'phone_number_id', 'p'.repeat(10_240)],
    ['phone id with a separator', 'phone_number_id', 'P\u001fP2'],
    ['unit id with a quote', 'unit_id', `u'${digits(4)}`],
    ['unit id with a newline', 'unit_id', `u\n${digits(4)}`],
    ['wa id with letters', 'recipient_wa_id', `1555${digits(3)}abc`],
    ['wa id with a separator', 'recipient_wa_id', `1555\u001e${digits(6)}`],
    ['unknown WABA', 'waba_id', `W-${digits(6)}`],
    ['another partner’s WABA', 'waba_id', 'W2'],
    ['another partner’s number', 'phone_number_id', 'P3'],
    ['unknown category', 'category', 'spam'],
    ['SQL in a category', 'category', "marketing'; DROP TABLE units; --"],
    ['display number with letters', 'display_phone_number', '+1 (555) CALL'],
  ];
}

async function parquetOf(rows: readonly Record<string, string>[]): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'fuzz-pq-'));
  const db = await openStore({ path: ':memory:' }, new Date());
  try {
    const json = join(dir, 'in.ndjson');
    const columns = Object.keys(rows[0] ?? {});
    await writeFile(json, toNdjson(rows));
    const cols = columns.map((c) => `${c}: 'VARCHAR'`).join(', ');
    await db.run(
      `COPY (SELECT * FROM read_json('${json}', format = 'newline_delimited', columns = {${cols}}))
         TO '${join(dir, 'out.parquet')}' (FORMAT parquet)`,
    );
    return new Uint8Array(await readFile(join(dir, 'out.parquet')));
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function arrowOf(rows: readonly Record<string, string>[]): Uint8Array {
  const columns = Object.keys(rows[0] ?? {});
  return tableToIPC(
    tableFromArrays(Object.fromEntries(columns.map((c) => [c, rows.map((r) => r[c] ?? '')]))),
    'stream',
  );
}

const rejected = (name: string, type: string, body: string | Uint8Array, column?: string): FuzzCase => ({
  name,
  type,
  body,
  status: 422,
  code: 'batch_rejected',
  ...(column ? { column } : {}),
});

/** Every record case in the four record formats, then body damage per format, then webhooks. */
export async function fuzzCases(seed = 20261206): Promise<FuzzCase[]> {
  const next = rng(seed);
  const cases: FuzzCase[] = [];
  const columns = [...HEADER, 'cost', 'display_phone_number'];
  let n = 0;
  for (const [name, column, value] of badValues(next)) {
    // A good record around the bad one: the whole batch must go.
    // A display number is read for numbers new to the store only.
    const newNumber = column === 'display_phone_number' ? { phone_number_id: `P-fz-${n}` } : {};
    const rows = [rec(`fz-${n++}`), { ...rec(`fz-${n++}`), ...newNumber, [column]: value }] as Record<
      string,
      string
    >[];
    const full = rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? ''])));
    cases.push(rejected(`CSV: ${name}`, CSV, toCsv(full as never, columns), column));
    cases.push(rejected(`NDJSON: ${name}`, NDJSON, toNdjson(full), column));
    cases.push(rejected(`Parquet: ${name}`, PARQUET, await parquetOf(full), column));
    cases.push(rejected(`Arrow: ${name}`, ARROW, arrowOf(full), column));
  }
  const good = toCsv([rec('fz-good')]);
  const bytes = (s: string) => new TextEncoder().encode(s);
  const junk = (len: number) => Uint8Array.from({ length: len }, () => Math.floor(next() * 256));
  const csvBodies: [string, string | Uint8Array][] = [
    ['CR-only line endings', good.replace(/\n/g, '\r')],
    [
      'a header of 10,000 unknown columns',
      toCsv([rec('fz-w')], [...HEADER, ...Array.from({ length: 10_000 }, (_, i) => `x${i}`)]),
    ],
    ['a 2 MB line', toCsv([{ ...rec('fz-l'), category: 'x'.repeat(2_000_000) }])],
    ['invalid UTF-8 in a row', Uint8Array.from([...bytes(good.slice(0, -8)), 0xff, 0xfe, 0x0a])],
    ['invalid UTF-8 in the header', Uint8Array.from([0xff, 0xfe, ...bytes(good)])],
    ['an unterminated quote', good + '"fz-q,CBP\n'],
    ['too many fields', good + 'a,b,c,d,e,f,g,h,i,j,k,l,m,n,o\n'],
    [
      'a missing required column',
      toCsv(
        [rec('fz-m')],
        HEADER.filter((h) => h !== 'opened_at'),
      ),
    ],
    ['a column named twice', toCsv([rec('fz-d')], [...HEADER, 'rate'])],
    ['binary noise', junk(4096)],
  ];
  for (const [name, body] of csvBodies) cases.push(rejected(`CSV body: ${name}`, CSV, body));
  const nd = toNdjson([rec('fz-nd')]);
  const ndBodies: [string, string | Uint8Array][] = [
    ['a broken object', nd + '{"unit_id": nope}\n'],
    ['an array per line', '[1,2,3]\n'],
    ['invalid UTF-8', Uint8Array.from([...bytes(nd.slice(0, 20)), 0xc3, 0x28, ...bytes(nd.slice(20))])],
    ['a 2 MB record', toNdjson([{ ...rec('fz-big'), template_name: 'x'.repeat(2_000_000) }])],
    ['an object where an id is expected', nd.replace('"fz-nd"', '{"$ne": null}')],
    ['binary noise', junk(2048)],
    ['CR-only line endings', (nd + toNdjson([rec('fz-nd2')])).replace(/\n/g, '\r')],
    ['a missing required column', toNdjson([{ ...rec('fz-nm'), opened_at: undefined }])],
  ];
  for (const [name, body] of ndBodies) cases.push(rejected(`NDJSON body: ${name}`, NDJSON, body));
  const pq = await parquetOf([rec('fz-pq')]);
  const pqBodies: [string, Uint8Array][] = [
    ['truncated', pq.subarray(0, Math.floor(pq.length / 2))],
    ['no magic bytes', bytes('this is not parquet at all')],
    ['damaged footer', Uint8Array.from([...pq.subarray(0, pq.length - 12), ...junk(8), ...bytes('PAR1')])],
    ['binary noise', junk(1024)],
    ['a missing required column', await parquetOf([{ ...rec('fz-pm'), unit_id: undefined } as never])],
  ];
  for (const [name, body] of pqBodies) cases.push(rejected(`Parquet body: ${name}`, PARQUET, body));
  const ar = arrowOf([rec('fz-ar')]);
  const arBodies: [string, Uint8Array][] = [
    ['truncated', ar.subarray(0, Math.floor(ar.length / 2))],
    ['binary noise', junk(1024)],
    ['a missing required column', arrowOf([{ ...rec('fz-am'), category: undefined } as never])],
    [
      'a timestamp beyond JavaScript’s range',
      tableToIPC(
        tableFromArrays({
          ...Object.fromEntries(HEADER.map((c) => [c, [rec('fz-ts')[c]]])),
          opened_at: BigInt64Array.from([9_000_000_000_000_000_000n]),
        }),
        'stream',
      ),
    ],
  ];
  for (const [name, body] of arBodies) cases.push(rejected(`Arrow body: ${name}`, ARROW, body));
  cases.push(...webhookCases(next));
  return cases;
}

function webhookCases(next: () => number): FuzzCase[] {
  const ts = String(1_754_294_280 + Math.floor(next() * 1000));
  const status = (over: Record<string, unknown> = {}) => ({
    id: `wamid.fz${Math.floor(next() * 1e9)}`,
    status: 'delivered',
    timestamp: ts,
    recipient_id: '4915112340001',
    conversation: { id: `c-${Math.floor(next() * 1e9)}`, origin: { type: 'marketing' } },
    pricing: { billable: true, pricing_model: 'CBP', category: 'marketing' },
    ...over,
  });
  const msg = (over: Record<string, unknown> = {}) => ({
    id: 'wamid.in-fz',
    from: '4915112340001',
    timestamp: ts,
    ...over,
  });
  const bodies: [string, string][] = [
    ['malformed JSON', '{"entry": [\n'],
    ['no entry', '{"object":"whatsapp_business_account"}\n'],
    ['a WABA id as a path', envelope('../../W1', 'P1', [status()])],
    ['another partner’s WABA', envelope('W2', 'P3', [status()])],
    ['a phone id with a space', envelope('W1', 'pa1 ', [status()])],
    ['a phone id of 10 KB', envelope('W1', 'p'.repeat(10_240), [status()])],
    ['another partner’s number', envelope('W1', 'P3', [status()])],
    ['`from` with record separators', envelope('W1', 'P1', [], [msg({ from: '4477\u001eP2\u001f4478' })])],
    ['`from` with a field separator', envelope('W1', 'P1', [], [msg({ from: '4477\u001f9' })])],
    ['`from` with a plus', envelope('W1', 'P1', [], [msg({ from: '+4915112340001' })])],
    ['a recipient with letters', envelope('W1', 'P1', [status({ recipient_id: 'abc' })])],
    ['a wamid with a space', envelope('W1', 'P1', [status({ id: 'wamid x' })])],
    ['a timestamp in 1970', envelope('W1', 'P1', [status({ timestamp: '86400' })])],
    ['a timestamp in 5138', envelope('W1', 'P1', [status({ timestamp: '99999999999' })])],
    [
      'an expiration in 5138',
      envelope('W1', 'P1', [
        status({
          conversation: { id: 'c-x', expiration_timestamp: '99999999999', origin: { type: 'marketing' } },
        }),
      ]),
    ],
    [
      'a negative pricing category',
      envelope('W1', 'P1', [status({ pricing: { pricing_model: 'CBP', category: '-1' } })]),
    ],
    [
      'billable as text',
      envelope('W1', 'P1', [
        status({ pricing: { billable: 'yes', pricing_model: 'CBP', category: 'marketing' } }),
      ]),
    ],
    [
      'an unknown pricing model',
      envelope('W1', 'P1', [status({ pricing: { pricing_model: 'FREE', category: 'marketing' } })]),
    ],
    ['an unknown status', envelope('W1', 'P1', [status({ status: 'refunded' })])],
    ['an inbound message without a timestamp', envelope('W1', 'P1', [], [msg({ timestamp: undefined })])],
  ];
  return bodies.map(([name, body]) => rejected(`webhooks: ${name}`, WEBHOOKS, `${body}\n`));
}
