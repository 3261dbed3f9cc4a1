/** The one error type of the widgets' HTTP calls; elements render it, never throw it at the page. */
import type { MessageParams } from './catalogue.js';
import { MESSAGES, type MessageKey } from './messages.js';

/**
 * A failed call: the service's problem code, the catalogue message to show (`key` with `params`), and the
 * service's own `detail` when that is more specific than any catalogue message (a validation answer, say).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly key: MessageKey,
    readonly params: MessageParams = {},
    readonly detail?: string,
  ) {
    super(detail ?? MESSAGES[key]);
    this.name = 'ApiError';
  }
}
