/**
 * Validates an uploaded (or shipped) rate card, JSON document or CSV rows, into a RateCard. Every problem is
 * collected and reported at once as a 400 naming the line (CSV) or path (JSON), the column and the reason.
 */
import { ValidationError, type InputIssue } from '../errors.js';
import { KNOWN_MARKETS } from './market-table.js';
import { readCsv } from '../kernel/csv-reader.js';
import {
  RATE_CATEGORIES,
  type CardProvenance,
  TIERED_CATEGORIES,
  type PricingModel,
  type RateCard,
  type RateEntry,
  type RateTier,
} from './rate-card.js';

const RATE_RE = /^\d{1,12}(\.\d{1,6})?$/;
const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const ID_RE = /^[A-Za-z0-9_.:-]{1,128}$/;
const CATEGORIES: ReadonlySet<string> = new Set(RATE_CATEGORIES);
const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** Card-level fields; for CSV they come from the query string. */
export interface CardHeader {
  readonly card_id?: unknown;
  readonly effective_from?: unknown;
  readonly currency?: unknown;
  readonly pricing_model?: unknown;
  readonly description?: unknown;
  readonly source?: unknown;
  readonly confidence?: unknown;
  readonly sources?: unknown;
  readonly gaps?: unknown;
  readonly notes?: unknown;
}

interface RawTier {
  readonly lower: unknown;
  readonly upper: unknown;
  readonly rate: unknown;
  readonly where: Where;
}
interface RawEntry {
  readonly market: unknown;
  readonly category: unknown;
  readonly rate: unknown;
  readonly marginal: unknown;
  readonly tiers: RawTier[];
  readonly where: Where;
}
/** Where a value came from: a CSV line, or a JSON path prefix. */
interface Where {
  readonly line?: number;
  readonly path: string;
}

class Issues {
  readonly list: InputIssue[] = [];
  add(where: Where | null, column: string, reason: string): void {
    const col = where && where.path ? `${where.path}.${column}` : column;
    this.list.push(
      where?.line !== undefined ? { line: where.line, column, reason } : { column: col, reason },
    );
  }
}

function validDate(s: string): boolean {
  if (!DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function rateString(v: unknown): string | null {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : null;
  return s !== null && RATE_RE.test(s) ? s : null;
}

function count(v: unknown): number | null | undefined {
  if (v === null || v === undefined || v === '' || v === 'MAX') return null;
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,15}$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function checkHeader(h: CardHeader, issues: Issues) {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const card_id = str(h.card_id);
  if (!ID_RE.test(card_id)) issues.add(null, 'card_id', 'required: letters, digits, _ . : or -');
  const effective_from = str(h.effective_from);
  if (!validDate(effective_from)) issues.add(null, 'effective_from', 'must be a date as YYYY-MM-DD');
  const currency = str(h.currency);
  if (!CURRENCIES.has(currency)) issues.add(null, 'currency', 'must be an ISO 4217 currency code');
  const pricing_model = str(h.pricing_model);
  if (pricing_model !== 'CBP' && pricing_model !== 'PMP')
    issues.add(null, 'pricing_model', 'must be CBP or PMP');
  const opt = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 500) : null);
  return {
    card_id,
    effective_from,
    currency,
    pricing_model: pricing_model as PricingModel,
    description: opt(h.description),
    source: opt(h.source),
    provenance: checkProvenance(h, issues),
  };
}

const MAX_PROVENANCE_ITEMS = 50;

/** Optional evidence fields: short texts only, so a card cannot smuggle a large document into the store. */
function checkProvenance(h: CardHeader, issues: Issues): CardProvenance | null {
  const text = (v: unknown, column: string): string | null => {
    if (typeof v === 'string' && v.length <= 2000) return v;
    issues.add(null, column, 'must be a text of at most 2000 characters');
    return null;
  };
  const list = <T>(v: unknown, column: string, item: (x: unknown, col: string) => T | null): T[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.length > MAX_PROVENANCE_ITEMS) {
      issues.add(null, column, `must be a list of at most ${MAX_PROVENANCE_ITEMS} items`);
      return [];
    }
    return v.flatMap((x, i) => {
      const r = item(x, `${column}[${i}]`);
      return r === null ? [] : [r];
    });
  };
  const source = (x: unknown, col: string) => {
    const o = asRecord(x);
    const key = text(o.key, `${col}.key`);
    const what = text(o.what, `${col}.what`);
    return key !== null && what !== null ? { key, what } : null;
  };
  const confidence =
    h.confidence === undefined || h.confidence === null ? null : text(h.confidence, 'confidence');
  const sources = list(h.sources, 'sources', source);
  const gaps = list(h.gaps, 'gaps', text);
  const notes = list(h.notes, 'notes', text);
  if (confidence === null && sources.length + gaps.length + notes.length === 0) return null;
  return { confidence, sources, gaps, notes };
}

function checkTiers(e: RawEntry, model: string, category: string, issues: Issues): RateTier[] {
  if (e.tiers.length === 0) return [];
  if (model !== 'PMP' || !TIERED_CATEGORIES.includes(category)) {
    issues.add(e.where, 'tiers', 'volume tiers exist only for PMP utility and authentication');
    return [];
  }
  const tiers: RateTier[] = [];
  for (const t of e.tiers) {
    const lower = count(t.lower);
    const upper = count(t.upper);
    const rate = rateString(t.rate);
    if (lower === undefined || lower === null)
      issues.add(t.where, 'tier_lower', 'must be a whole number ≥ 0');
    if (upper === undefined) issues.add(t.where, 'tier_upper', 'must be a whole number, MAX or empty');
    if (rate === null) issues.add(t.where, 'rate', 'must be a non-negative decimal with at most 6 decimals');
    if (typeof lower === 'number' && typeof upper === 'number' && upper < lower)
      issues.add(t.where, 'tier_upper', 'must not be below tier_lower');
    if (typeof lower === 'number' && upper !== undefined && rate !== null) tiers.push({ lower, upper, rate });
  }
  if (tiers.length !== e.tiers.length) return [];
  const order = tiers.map((t, i) => ({ t, w: e.tiers[i]!.where })).sort((a, b) => a.t.lower - b.t.lower);
  if (order[0]!.t.lower > 1) issues.add(order[0]!.w, 'tier_lower', 'the first tier must start at 0 or 1');
  for (let i = 1; i < order.length; i++) {
    const prev = order[i - 1]!.t;
    const cur = order[i]!;
    if (prev.upper === null || cur.t.lower <= prev.upper)
      issues.add(cur.w, 'tier_lower', `overlaps the tier ${prev.lower}:${prev.upper ?? 'MAX'}`);
    else if (cur.t.lower !== prev.upper + 1)
      issues.add(cur.w, 'tier_lower', `leaves a gap after the tier ending at ${prev.upper}`);
  }
  const last = order[order.length - 1]!;
  if (last.t.upper !== null) issues.add(last.w, 'tier_upper', 'the last tier must be open (MAX)');
  return order.map((o) => o.t);
}

function checkEntries(raw: RawEntry[], model: string, issues: Issues): RateEntry[] {
  if (raw.length === 0) issues.add(null, 'rates', 'a card needs at least one rate');
  const seen = new Set<string>();
  const out: RateEntry[] = [];
  for (const e of raw) {
    const market = typeof e.market === 'string' ? e.market.trim() : '';
    const category = typeof e.category === 'string' ? e.category.trim() : '';
    if (!KNOWN_MARKETS.has(market)) issues.add(e.where, 'market', `unknown market "${market}"`);
    if (!CATEGORIES.has(category)) issues.add(e.where, 'category', `unknown category "${category}"`);
    const key = `${market}|${category}`;
    if (seen.has(key)) issues.add(e.where, 'category', `duplicate rate for ${market} / ${category}`);
    seen.add(key);
    const tiers = checkTiers(e, model, category, issues);
    let rate = e.rate === undefined || e.rate === '' ? null : rateString(e.rate);
    if (rate === null && e.rate !== undefined && e.rate !== '')
      issues.add(e.where, 'rate', 'must be a non-negative decimal with at most 6 decimals');
    else if (rate === null && tiers.length > 0) rate = tiers[0]!.rate;
    else if (rate === null && e.tiers.length === 0) issues.add(e.where, 'rate', 'required');
    const marginal = e.marginal === undefined || e.marginal === '' ? true : e.marginal;
    if (typeof marginal !== 'boolean' && marginal !== 'true' && marginal !== 'false')
      issues.add(e.where, 'marginal', 'must be true or false');
    if (rate !== null)
      out.push({ market, category, rate, tiers, marginal: marginal === true || marginal === 'true' });
  }
  return out;
}

function finish(header: CardHeader, raw: RawEntry[], issues: Issues): RateCard {
  const h = checkHeader(header, issues);
  const rates = checkEntries(raw, h.pricing_model, issues);
  if (issues.list.length > 0)
    throw new ValidationError('The rate card is not valid.', issues.list.slice(0, 100));
  return { ...h, rates };
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Validates a card in the JSON shape `{ card_id, effective_from, currency, pricing_model, rates: [...] }`. */
export function validateRateCardJson(doc: unknown): RateCard {
  const d = asRecord(doc);
  const issues = new Issues();
  if (!Array.isArray(d.rates)) issues.add(null, 'rates', 'must be an array');
  const rates = Array.isArray(d.rates) ? d.rates : [];
  const raw: RawEntry[] = rates.map((r: unknown, i: number) => {
    const e = asRecord(r);
    const where = { path: `rates[${i}]` };
    const tiers = Array.isArray(e.tiers) ? e.tiers : [];
    if (e.tiers !== undefined && !Array.isArray(e.tiers)) issues.add(where, 'tiers', 'must be an array');
    return {
      market: e.market,
      category: e.category,
      rate: e.rate,
      marginal: e.marginal,
      where,
      tiers: tiers.map((t: unknown, j: number) => {
        const x = asRecord(t);
        return { lower: x.lower, upper: x.upper, rate: x.rate, where: { path: `rates[${i}].tiers[${j}]` } };
      }),
    };
  });
  return finish(d, raw, issues);
}

const CSV_COLUMNS = ['market', 'category', 'rate', 'tier_lower', 'tier_upper', 'marginal'];

/**
 * Validates a CSV card: header `market,category,rate[,tier_lower,tier_upper,marginal]`, one row per flat rate or
 * per tier; the card-level fields come from `header` (the query string).
 */
export function validateRateCardCsv(text: string, header: CardHeader): RateCard {
  const issues = new Issues();
  const records = readCsv(text);
  const head = records[0]?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  for (const col of ['market', 'category', 'rate'])
    if (!head.includes(col)) issues.add({ line: 1, path: '' }, col, 'missing column in the header');
  head.forEach((c) => {
    if (!CSV_COLUMNS.includes(c)) issues.add({ line: 1, path: '' }, c, 'unknown column');
  });
  const byPair = new Map<string, RawEntry>();
  const raw: RawEntry[] = [];
  for (const rec of records.slice(1)) {
    const get = (col: string) => {
      const i = head.indexOf(col);
      return i >= 0 ? (rec.fields[i] ?? '').trim() : '';
    };
    const where = { line: rec.line, path: '' };
    if (rec.fields.length !== head.length) {
      issues.add(where, 'row', `has ${rec.fields.length} fields, the header has ${head.length}`);
      continue;
    }
    const tiered = get('tier_lower') !== '' || get('tier_upper') !== '';
    const key = `${get('market')}|${get('category')}`;
    const known = byPair.get(key);
    if (tiered && known && known.tiers.length > 0) {
      known.tiers.push({ lower: get('tier_lower'), upper: get('tier_upper'), rate: get('rate'), where });
      continue;
    }
    const entry: RawEntry = {
      market: get('market'),
      category: get('category'),
      rate: tiered ? '' : get('rate'),
      marginal: get('marginal'),
      where,
      tiers: tiered ? [{ lower: get('tier_lower'), upper: get('tier_upper'), rate: get('rate'), where }] : [],
    };
    byPair.set(key, entry);
    raw.push(entry);
  }
  return finish(header, raw, issues);
}
