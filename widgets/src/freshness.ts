/**
 * How fresh a widget's data is: the service's `data_through` (the latest unit received for what the widget
 * shows) against the viewer's clock. Data older than a day gets a "Data up to …" notice, so a stopped feed
 * never passes for a quiet month or an unchanged balance.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from './catalogue.js';
import { formatDate } from './format.js';

export const STALE_AFTER_MS = 86_400_000;

/** True when the data ends more than a day before `now`; false when unknown (no unit yet, or a bad value). */
export function isStale(dataThrough: string | null | undefined, now = Date.now()): boolean {
  if (!dataThrough) return false;
  const at = Date.parse(dataThrough);
  return Number.isFinite(at) && now - at > STALE_AFTER_MS;
}

/** The "Data up to …" notice, or nothing while the data is fresh. */
export function renderFreshness(
  t: Translate,
  locale: string | undefined,
  dataThrough: string | null | undefined,
): TemplateResult | typeof nothing {
  if (!isStale(dataThrough)) return nothing;
  return html`<p class="notice" part="notice freshness" role="note" data-testid="freshness">
    ${t('dataUpTo', { date: formatDate(dataThrough, locale) })}
  </p>`;
}
