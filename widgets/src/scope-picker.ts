/**
 * The scope line and selector of the single-series cards: a line under the heading naming the number or WABA
 * shown, and a native select among the visible ones when the token sees more than one. The visible numbers are
 * loaded once per api-base, token and WABA (ScopeMemo), not on every change of the selection.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from './catalogue.js';
import type { MessageKey } from './messages.js';
import { choiceLabel, scopeKey, type ScopeChoice, type SeriesScope, type VisibleScope } from './scope.js';

/** Remembers the visible scope for one key; a failed load is forgotten so a retry asks again. */
export class ScopeMemo {
  private key = '';
  private pending: Promise<VisibleScope> | null = null;

  get(key: string, load: () => Promise<VisibleScope>): Promise<VisibleScope> {
    if (key !== this.key || !this.pending) {
      this.key = key;
      const p = load();
      this.pending = p;
      p.catch(() => {
        if (this.pending === p) this.pending = null;
      });
    }
    return this.pending;
  }
}

/** The selector, or nothing when there is only one choice. */
export function renderScopeSelect(
  t: Translate,
  label: MessageKey,
  v: VisibleScope,
  choices: readonly ScopeChoice[],
  current: SeriesScope,
  pick: (key: string) => void,
): TemplateResult | typeof nothing {
  if (choices.length < 2) return nothing;
  const selected = scopeKey(current);
  return html`<label class="sr-only" for="scope">${t(label)}</label>
    <select
      id="scope"
      part="select scope-select"
      data-testid="scope-select"
      @change=${(e: Event) => pick((e.target as HTMLSelectElement).value)}
    >
      ${choices.map(
        (c) => html`<option value=${c.key} ?selected=${c.key === selected}>${choiceLabel(t, v, c)}</option>`,
      )}
    </select>`;
}

/** The line naming what the card shows. */
export function renderScopeLine(text: string): TemplateResult {
  return html`<p class="scope muted" part="scope" data-testid="scope">${text}</p>`;
}
