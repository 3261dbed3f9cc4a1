/**
 * CiElement: the attributes every widget takes (`api-base`, `token`, `phone-number-id`, `waba-id`, `locale`,
 * `currency`, `strings`, `theme`), the API client built from them, and the translator `t` its templates use.
 * Elements extend it and stay thin: properties, styles, render. An update waits for the language's catalogue
 * (a small chunk loaded once per page), so a widget never shows English first and then switches.
 */
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { ApiError, createApiClient, type ApiClient } from './api-client.js';
import {
  createTranslator,
  isLanguageLoaded,
  languageOf,
  loadLanguage,
  onMessagesChanged,
  sanitizeCatalogue,
  type Translate,
} from './catalogue.js';
import { LabelSync } from './label-sync.js';
import type { Catalogue } from './messages.js';

/** Parses the `strings` attribute (JSON of key → text); bad JSON counts as no overrides, never an exception. */
const stringsConverter = {
  fromAttribute(value: string | null): Catalogue {
    if (!value) return {};
    try {
      return sanitizeCatalogue(JSON.parse(value));
    } catch {
      console.warn('ci widgets: the strings attribute is not valid JSON');
      return {};
    }
  },
};

export abstract class CiElement extends LitElement {
  /** Base URL of the service, e.g. https://insights.example.com (the /v1 paths are appended). */
  @property({ attribute: 'api-base' }) apiBase = '';
  /** A short-lived embed token minted by the partner's back end. */
  @property() token = '';
  @property({ attribute: 'phone-number-id' }) phoneNumberId = '';
  @property({ attribute: 'waba-id' }) wabaId = '';
  /** BCP 47 locale for words, numbers, money and dates; defaults to the page's language. */
  @property() locale = '';
  /** Preferred currency when data spans several (the API's own currency is always shown). */
  @property() currency = '';
  /** Overrides of any message of this element: JSON `{"usageTitle": "Traffic"}` or an object property. */
  @property({ attribute: 'strings', converter: stringsConverter }) strings: Catalogue = {};
  /** `dark` applies the dark preset, `auto` follows the system's colour scheme; custom properties still win. */
  @property({ reflect: true }) theme = '';

  /** Names edited anywhere on the page show here at once (see label-sync.ts). */
  protected readonly labels = new LabelSync(this);
  private unsubscribe: (() => void) | null = null;
  private translator: { key: string; t: Translate } | null = null;

  protected get resolvedLocale(): string | undefined {
    return this.locale || document.documentElement.lang || undefined;
  }

  /** The translator for the current locale and overrides. */
  protected get t(): Translate {
    const locale = this.resolvedLocale;
    const key = `${locale}|${isLanguageLoaded(languageOf(locale))}|${JSON.stringify(this.strings)}`;
    if (this.translator?.key !== key) this.translator = { key, t: createTranslator(locale, this.strings) };
    return this.translator.t;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = onMessagesChanged(() => {
      this.translator = null;
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  protected override async scheduleUpdate(): Promise<void> {
    const lang = languageOf(this.resolvedLocale);
    if (!isLanguageLoaded(lang)) await loadLanguage(lang);
    await super.scheduleUpdate();
  }

  /** The client for the current attributes; throws ApiError (rendered as the error state) when unset. */
  protected api(): ApiClient {
    if (!this.token) throw new ApiError(0, 'config', 'missingConfig');
    return createApiClient(this.apiBase || location.origin, this.token);
  }
}
