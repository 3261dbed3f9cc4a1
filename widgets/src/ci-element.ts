/**
 * CiElement: the attributes every widget takes (`api-base`, `token`, `phone-number-id`, `waba-id`, `locale`,
 * `currency`) and the API client built from them. Elements extend it and stay thin: properties, styles, render.
 */
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { ApiError, createApiClient, type ApiClient } from './api-client.js';
import { MESSAGES } from './messages.js';

export abstract class CiElement extends LitElement {
  /** Base URL of the service, e.g. https://insights.example.com (the /v1 paths are appended). */
  @property({ attribute: 'api-base' }) apiBase = '';
  /** A short-lived embed token minted by the partner's back end. */
  @property() token = '';
  @property({ attribute: 'phone-number-id' }) phoneNumberId = '';
  @property({ attribute: 'waba-id' }) wabaId = '';
  /** BCP 47 locale for numbers, money and dates; defaults to the page's language. */
  @property() locale = '';
  /** Preferred currency when data spans several (the API's own currency is always shown). */
  @property() currency = '';

  protected get resolvedLocale(): string | undefined {
    return this.locale || document.documentElement.lang || undefined;
  }

  /** The client for the current attributes; throws ApiError (rendered as the error state) when unset. */
  protected api(): ApiClient {
    if (!this.token) throw new ApiError(0, 'config', MESSAGES.missingConfig);
    return createApiClient(this.apiBase || location.origin, this.token);
  }
}
