/**
 * The price a paid send will cost, for the gate to hold before it answers: the rate of the card in force for the
 * WABA's currency and the send's pricing model on its local day, in the market of the customer's calling code
 * (longest prefix, dated rows honoured, unknown prefixes in Other), for its category — falling back as pricing
 * does (authentication_international → authentication, a PMP service message → utility). Volume tiers lower a
 * rate as the month's count grows, and the gate does not count the month, so a tiered pair holds its highest
 * rate. A market the card has no rate for holds the highest rate of the category on that card. A day before the
 * first card of the currency and model (a gap in the shipped cards) holds that first card's rates: pricing leaves
 * such a send unpriced until a card for its day is uploaded, and then charges that card's rate. A card with no
 * rate for the category at all (an early conversation card priced business- and user-initiated only) holds the
 * card's highest rate. A currency or model with no card at all leaves the send unpriced (null): the caller refuses
 * it, since nothing bounds what a card uploaded later would charge.
 * The markets and cards (a few thousand rows) are read from the analytics store into memory and read again every
 * minute, so a decision costs a few map lookups; an uploaded card reaches the gate within that minute.
 */
import type { Queryable } from '../db/db.js';
import { toMicros } from '../kernel/money.js';
import { OTHER_MARKET } from '../pricing/market-table.js';

const RELOAD_MS = 60_000;

export interface SendToPrice {
  readonly currency: string;
  readonly pricingModel: 'CBP' | 'PMP';
  /** The WABA-local day of the send ('YYYY-MM-DD'). */
  readonly day: string;
  /** The customer's wa_id (digits, maybe with a leading +). */
  readonly customer: string;
  readonly category: string;
}

interface Prefix {
  readonly market: string;
  readonly from: string;
  readonly to: string;
}

interface Card {
  readonly cardId: string;
  readonly from: string;
}

interface Book {
  readonly prefixes: ReadonlyMap<string, readonly Prefix[]>;
  readonly longest: number;
  /** Cards per `currency|model`, latest first. */
  readonly cards: ReadonlyMap<string, readonly Card[]>;
  /**
   * The highest rate (flat or tier) per `card|market|category`, per `card||category` over all markets, and
   * `card||*` over the whole card.
   */
  readonly rates: ReadonlyMap<string, bigint>;
}

function fallbackCategory(category: string, model: string): string | null {
  if (category === 'authentication_international') return 'authentication';
  if (category === 'service' && model === 'PMP') return 'utility';
  return null;
}

async function loadBook(db: Queryable): Promise<Book> {
  const prefixRows = await db.all<{ prefix: string; market: string; ef: string | null; et: string | null }>(
    `SELECT prefix, market, strftime(effective_from, '%Y-%m-%d') AS ef, strftime(effective_to, '%Y-%m-%d') AS et
       FROM market_prefixes`,
  );
  const cardRows = await db.all<{ card_id: string; currency: string; pricing_model: string; ef: string }>(
    `SELECT card_id, currency, pricing_model, strftime(effective_from, '%Y-%m-%d') AS ef FROM rate_cards`,
  );
  const rateRows = await db.all<{ card_id: string; market: string; category: string; rate: string }>(
    `SELECT card_id, market, category, rate::VARCHAR AS rate FROM rate_card_rates
     UNION ALL SELECT card_id, market, category, rate::VARCHAR AS rate FROM rate_card_tiers`,
  );
  const prefixes = new Map<string, Prefix[]>();
  let longest = 1;
  for (const r of prefixRows) {
    const list = prefixes.get(r.prefix) ?? [];
    list.push({ market: r.market, from: r.ef ?? '0000-00-00', to: r.et ?? '9999-99-99' });
    prefixes.set(r.prefix, list);
    longest = Math.max(longest, r.prefix.length);
  }
  const cards = new Map<string, Card[]>();
  for (const r of cardRows) {
    const key = `${r.currency}|${r.pricing_model}`;
    cards.set(key, [...(cards.get(key) ?? []), { cardId: r.card_id, from: r.ef }]);
  }
  for (const list of cards.values()) list.sort((a, b) => b.from.localeCompare(a.from));
  const rates = new Map<string, bigint>();
  const raise = (key: string, v: bigint) => {
    const old = rates.get(key);
    if (old === undefined || v > old) rates.set(key, v);
  };
  for (const r of rateRows) {
    const v = toMicros(r.rate);
    raise(`${r.card_id}|${r.market}|${r.category}`, v);
    raise(`${r.card_id}||${r.category}`, v);
    raise(`${r.card_id}||*`, v);
  }
  return { prefixes, longest, cards, rates };
}

/** The rate cards and markets of one analytics store, priced per send (one per process, built with the gate). */
export class SendPriceBook {
  private book: Book | undefined;
  private loading: Promise<Book> | undefined;
  private loadedAt = 0;

  constructor(private readonly db: Queryable) {}

  private async current(): Promise<Book> {
    const now = Date.now();
    if (this.book && now - this.loadedAt < RELOAD_MS) return this.book;
    this.loading ??= loadBook(this.db)
      .then((b) => {
        this.book = b;
        this.loadedAt = Date.now();
        return b;
      })
      .finally(() => (this.loading = undefined));
    // A stale book answers while the next one loads; only the first load is waited for.
    return this.book ?? this.loading;
  }

  /** Forgets the loaded cards (a card was uploaded): the next price reads them again. */
  reload(): void {
    this.loadedAt = 0;
  }

  /** The market of a customer number on a local day. */
  private marketOf(book: Book, customer: string, day: string): string {
    const digits = customer.replace(/\D/g, '');
    for (let n = Math.min(book.longest, digits.length); n >= 1; n--) {
      const hit = book.prefixes.get(digits.slice(0, n))?.find((p) => p.from <= day && day < p.to);
      if (hit) return hit.market;
    }
    return OTHER_MARKET;
  }

  /**
   * The price from the cards in memory without waiting (undefined before the first load): the decision's fast
   * path. A book past its minute still answers while the next one loads.
   */
  peek(send: SendToPrice): bigint | null | undefined {
    if (!this.book) return undefined;
    if (Date.now() - this.loadedAt >= RELOAD_MS) void this.current().catch(() => undefined);
    return this.priceIn(this.book, send);
  }

  /** The price (micro-units) to hold for one paid send, or null when no card prices it. */
  async priceOf(send: SendToPrice): Promise<bigint | null> {
    return this.priceIn(await this.current(), send);
  }

  private priceIn(book: Book, send: SendToPrice): bigint | null {
    // Latest first: the card in force, else (a day before the first card) the first card there is.
    const cards = book.cards.get(`${send.currency}|${send.pricingModel}`) ?? [];
    const card = cards.find((c) => c.from <= send.day) ?? cards[cards.length - 1];
    if (!card) return null;
    const market = this.marketOf(book, send.customer, send.day);
    const fallback = fallbackCategory(send.category, send.pricingModel);
    const rate = (cat: string | null, m: string) =>
      cat === null ? undefined : book.rates.get(`${card.cardId}|${m}|${cat}`);
    return (
      rate(send.category, market) ??
      rate(fallback, market) ??
      rate(send.category, '') ??
      rate(fallback, '') ??
      rate('*', '') ??
      null
    );
  }
}
