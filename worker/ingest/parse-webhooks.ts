/**
 * Reads NDJSON of Cloud API webhook payloads (DOMAIN.md §6.1–6.3), one envelope per line, into flat column
 * arrays of status events and inbound messages. Structural problems become issues with the line number.
 */
import type { InputIssue } from '../errors.js';
import {
  DISPLAY_NUMBER_RE,
  DISPLAY_NUMBER_REASON,
  ID_RE,
  ID_REASON,
  EPOCH_REASON,
  UNIT_ID_RE,
  UNIT_ID_REASON,
  WA_ID_RE,
  WA_ID_REASON,
  isEpochSecondsInRange,
} from '../input-rules.js';
import { ENUMS } from './unit-columns.js';

const EVENT_COLUMNS = [
  'line',
  'wamid',
  'status',
  'status_ts',
  'waba_id',
  'phone_number_id',
  'display_phone_number',
  'recipient_wa_id',
  'conversation_id',
  'conversation_origin_type',
  'conversation_expiration_ts',
  'pricing_model',
  'pricing_billable',
  'pricing_type',
  'pricing_category',
  'error_codes',
] as const;
const INBOUND_COLUMNS = [
  'line',
  'wamid',
  'waba_id',
  'phone_number_id',
  'display_phone_number',
  'from_wa_id',
  'ts',
  'referral_source',
] as const;

export type EventColumns = Record<(typeof EVENT_COLUMNS)[number], string[]>;
export type InboundColumns = Record<(typeof INBOUND_COLUMNS)[number], string[]>;

export interface ParsedWebhooks {
  readonly lines: number;
  readonly events: EventColumns;
  readonly inbound: InboundColumns;
  readonly issues: InputIssue[];
}

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed', 'played', 'deleted']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const epoch = (v: unknown): boolean => isEpochSecondsInRange(str(v));

/** The issues of the ids of one status or message: the same rules as every other path (input-rules.ts). */
function idIssues(line: number, checks: readonly [string, string, RegExp, string][]): InputIssue[] {
  return checks
    .filter(([, value, re]) => value !== '' && !re.test(value))
    .map(([column, , , reason]) => ({ line, column, reason }));
}

function empty<K extends string>(keys: readonly K[]): Record<K, string[]> {
  return Object.fromEntries(keys.map((k) => [k, [] as string[]])) as unknown as Record<K, string[]>;
}

/** Parses the text; never throws — bad lines are reported as issues. */
export function parseWebhooks(text: string): ParsedWebhooks {
  const events = empty(EVENT_COLUMNS);
  const inbound = empty(INBOUND_COLUMNS);
  const issues: InputIssue[] = [];
  const rawLines = text.split(/\r?\n/);
  let lines = 0;
  rawLines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    lines++;
    let payload: unknown;
    try {
      payload = JSON.parse(raw);
    } catch (err) {
      issues.push({ line, reason: `malformed JSON: ${err instanceof Error ? err.message : 'unreadable'}` });
      return;
    }
    if (!isObj(payload) || !Array.isArray(payload.entry)) {
      issues.push({ line, column: 'entry', reason: 'not a webhook envelope (no entry[])' });
      return;
    }
    for (const entry of payload.entry) {
      const wabaId = isObj(entry) ? str(entry.id) : '';
      if (!wabaId) issues.push({ line, column: 'entry.id', reason: 'required (the WABA id)' });
      else if (!ID_RE.test(wabaId)) issues.push({ line, column: 'entry.id', reason: ID_REASON });
      for (const change of isObj(entry) ? arr(entry.changes) : []) {
        const value = isObj(change) && isObj(change.value) ? change.value : null;
        if (!value) continue;
        const meta = isObj(value.metadata) ? value.metadata : {};
        const phone = str(meta.phone_number_id);
        const display = str(meta.display_phone_number);
        const hasContent = arr(value.statuses).length > 0 || arr(value.messages).length > 0;
        if (hasContent && !phone)
          issues.push({ line, column: 'metadata.phone_number_id', reason: 'required' });
        const metaIssues = idIssues(line, [
          ['metadata.phone_number_id', phone, ID_RE, ID_REASON],
          ['metadata.display_phone_number', display, DISPLAY_NUMBER_RE, DISPLAY_NUMBER_REASON],
        ]);
        issues.push(...metaIssues);
        if (metaIssues.length) continue;
        for (const s of arr(value.statuses)) {
          if (!isObj(s)) continue;
          const ok = str(s.id) && STATUSES.has(str(s.status)) && epoch(s.timestamp);
          if (!str(s.id)) issues.push({ line, column: 'statuses.id', reason: 'required (the wamid)' });
          if (!STATUSES.has(str(s.status)))
            issues.push({
              line,
              column: 'statuses.status',
              reason: 'must be sent, delivered, read or failed',
            });
          if (!epoch(s.timestamp)) issues.push({ line, column: 'statuses.timestamp', reason: EPOCH_REASON });
          if (!ok) continue;
          const conv = isObj(s.conversation) ? s.conversation : {};
          const origin = isObj(conv.origin) ? conv.origin : {};
          const pricing = isObj(s.pricing) ? s.pricing : {};
          const expires = str(conv.expiration_timestamp);
          const bad = idIssues(line, [
            ['statuses.id', str(s.id), UNIT_ID_RE, UNIT_ID_REASON],
            ['statuses.recipient_id', str(s.recipient_id), WA_ID_RE, WA_ID_REASON],
            ['statuses.conversation.id', str(conv.id), UNIT_ID_RE, UNIT_ID_REASON],
          ]);
          if (expires !== '' && !epoch(expires))
            bad.push({ line, column: 'statuses.conversation.expiration_timestamp', reason: EPOCH_REASON });
          if (pricing.billable !== undefined && typeof pricing.billable !== 'boolean')
            bad.push({ line, column: 'statuses.pricing.billable', reason: 'must be true or false' });
          issues.push(...bad);
          if (bad.length) continue;
          // Closed sets (DOMAIN.md §6.3): a value outside them is refused, never stored as an unknown kind.
          const closed: [string, string, readonly string[]][] = [
            ['statuses.pricing.pricing_model', str(pricing.pricing_model), ENUMS.pricing_model],
            ['statuses.pricing.type', str(pricing.type), ENUMS.pricing_type],
            ['statuses.pricing.category', str(pricing.category), ENUMS.category],
            ['statuses.conversation.origin.type', str(origin.type), ENUMS.category],
          ];
          const wrong = closed.filter(([, v, values]) => v !== '' && !values.includes(v));
          for (const [column, , values] of wrong)
            issues.push({ line, column, reason: `must be one of ${values.join(', ')}` });
          if (wrong.length) continue;
          const codes = arr(s.errors)
            .map((e) => (isObj(e) ? Number(e.code) : NaN))
            .filter((n) => Number.isInteger(n));
          const row: Record<(typeof EVENT_COLUMNS)[number], string> = {
            line: String(line),
            wamid: str(s.id),
            status: str(s.status),
            status_ts: str(s.timestamp),
            waba_id: wabaId,
            phone_number_id: phone,
            display_phone_number: display,
            recipient_wa_id: str(s.recipient_id),
            conversation_id: str(conv.id),
            conversation_origin_type: str(origin.type),
            conversation_expiration_ts: expires,
            pricing_model: str(pricing.pricing_model),
            pricing_billable: typeof pricing.billable === 'boolean' ? String(pricing.billable) : '',
            pricing_type: str(pricing.type),
            pricing_category: str(pricing.category),
            error_codes: codes.length ? JSON.stringify(codes) : '',
          };
          for (const k of EVENT_COLUMNS) events[k].push(row[k]);
        }
        for (const m of arr(value.messages)) {
          if (!isObj(m)) continue;
          if (!str(m.id) || !str(m.from) || m.timestamp === undefined) {
            issues.push({
              line,
              column: 'messages',
              reason: 'an inbound message needs id, from and timestamp',
            });
            continue;
          }
          // `from` becomes a key of the gate's state: only a wa_id's digits are taken.
          const bad = idIssues(line, [
            ['messages.id', str(m.id), UNIT_ID_RE, UNIT_ID_REASON],
            ['messages.from', str(m.from), WA_ID_RE, WA_ID_REASON],
          ]);
          if (!epoch(m.timestamp)) bad.push({ line, column: 'messages.timestamp', reason: EPOCH_REASON });
          issues.push(...bad);
          if (bad.length) continue;
          const referral = isObj(m.referral) ? m.referral : {};
          const row: Record<(typeof INBOUND_COLUMNS)[number], string> = {
            line: String(line),
            wamid: str(m.id),
            waba_id: wabaId,
            phone_number_id: phone,
            display_phone_number: display,
            from_wa_id: str(m.from),
            ts: str(m.timestamp),
            referral_source: str(referral.source_type),
          };
          for (const k of INBOUND_COLUMNS) inbound[k].push(row[k]);
        }
      }
    }
  });
  return { lines, events, inbound, issues };
}
