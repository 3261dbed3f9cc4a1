/**
 * The message catalogue at run time: which language a locale gets, loading that language's strings on demand
 * (one chunk per language, so a page downloads only the language it shows), partner overrides, and the
 * translator elements render with.
 *
 * Fallback by language: the locale's exact tag when shipped (pt-BR), else its language (de-AT → de,
 * hi-IN → hi), Portuguese of any region → pt-BR, anything else → en. Numbers, money and dates keep using the
 * full locale with Intl (de-AT still formats as Austrian German).
 */
import type { TemplateResult } from 'lit';
import { MESSAGES, type Catalogue, type MessageKey } from './messages.js';

export const LANGUAGES = ['en', 'de', 'es', 'fr', 'it', 'pt-BR', 'id', 'hi'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language other than English is a separate chunk, imported the first time a widget needs it. */
const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<{ default: Catalogue }>> = {
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  it: () => import('./locales/it.js'),
  'pt-BR': () => import('./locales/pt-br.js'),
  id: () => import('./locales/id.js'),
  hi: () => import('./locales/hi.js'),
};

const loaded = new Map<Language, Catalogue>([['en', MESSAGES]]);
const loading = new Map<Language, Promise<void>>();
const overrides = new Map<Language, Catalogue>();
const listeners = new Set<() => void>();

/** The shipped language for a BCP 47 locale (see the fallback rules above). */
export function languageOf(locale: string | undefined | null): Language {
  const tag = (locale ?? '').trim().replace(/_/g, '-').toLowerCase();
  if (!tag) return 'en';
  const exact = LANGUAGES.find((l) => l.toLowerCase() === tag);
  if (exact) return exact;
  const lang = tag.split('-')[0];
  if (lang === 'pt') return 'pt-BR';
  return LANGUAGES.find((l) => l === lang) ?? 'en';
}

export function isLanguageLoaded(lang: Language): boolean {
  return loaded.has(lang);
}

/** Loads a language's catalogue once; a failed load leaves English in place (and may be retried later). */
export function loadLanguage(lang: Language): Promise<void> {
  if (lang === 'en' || loaded.has(lang)) return Promise.resolve();
  let p = loading.get(lang);
  if (!p) {
    p = LOADERS[lang]()
      .then((m) => {
        loaded.set(lang, m.default);
      })
      .catch((err: unknown) => {
        console.error(err);
        loading.delete(lang);
      });
    loading.set(lang, p);
  }
  return p;
}

/**
 * Replaces any strings of a language for every widget on the page, e.g.
 * `setMessages('de', { usageTitle: 'Verbrauch' })`. Unknown keys are ignored; widgets re-render at once.
 */
export function setMessages(locale: string, messages: Record<string, unknown>): void {
  const lang = languageOf(locale);
  overrides.set(lang, { ...overrides.get(lang), ...sanitizeCatalogue(messages) });
  for (const fn of listeners) fn();
}

/** Keeps only known keys with string values (overrides come from partner pages and attributes). */
export function sanitizeCatalogue(input: unknown): Catalogue {
  const out: Record<string, string> = {};
  if (!input || typeof input !== 'object') return out;
  for (const [k, v] of Object.entries(input)) {
    if (k in MESSAGES && typeof v === 'string') out[k] = v;
  }
  return out as Catalogue;
}

/** Calls `fn` whenever overrides change; returns the unsubscribe function. */
export function onMessagesChanged(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export type MessageParams = Readonly<Record<string, string | number>>;

export interface Translate {
  /** The message for a key with `{name}` values filled in. */
  (key: MessageKey, params?: MessageParams): string;
  /** The plural form of `base` (`base_one`, `base_other`, …) for `count`, which is also passed as {count}. */
  plural(base: string, count: number, params?: MessageParams): string;
  /** The message split around its `{name}` slots, so templates can put markup into them. */
  parts(
    key: MessageKey,
    slots: Readonly<Record<string, string | TemplateResult>>,
  ): (string | TemplateResult)[];
  readonly language: Language;
  readonly locale: string | undefined;
}

function fill(message: string, params: MessageParams | undefined): string {
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/**
 * A translator for one locale. Lookup order: the element's own overrides (`local`), the page's overrides for
 * the language, the language's catalogue, then English.
 */
export function createTranslator(locale: string | undefined, local: Catalogue = {}): Translate {
  const language = languageOf(locale);
  const layers = [local, overrides.get(language), loaded.get(language), MESSAGES].filter(
    (c): c is Catalogue => c !== undefined,
  );
  const lookup = (key: string): string | undefined => {
    for (const c of layers) {
      const v = c[key as MessageKey];
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const t = ((key: MessageKey, params?: MessageParams) => fill(lookup(key) ?? key, params)) as Translate;
  const rules = new Intl.PluralRules(locale || language);
  t.plural = (base, count, params) => {
    const form = lookup(`${base}_${rules.select(count)}`) ?? lookup(`${base}_other`) ?? base;
    return fill(form, { count: new Intl.NumberFormat(locale || language).format(count), ...params });
  };
  t.parts = (key, slots) => {
    const out: (string | TemplateResult)[] = [];
    const message = lookup(key) ?? key;
    let last = 0;
    for (const m of message.matchAll(/\{(\w+)\}/g)) {
      const slot = slots[m[1]!];
      if (slot === undefined) continue;
      out.push(message.slice(last, m.index), slot);
      last = m.index + m[0].length;
    }
    out.push(message.slice(last));
    return out;
  };
  return Object.assign(t, { language, locale });
}
