/**
 * The scope line and selector of the single-series cards: a line under the heading naming the number or WABA
 * shown, and a native select among the visible ones when the token sees more than one. The visible numbers are
 * loaded once per api-base, token and WABA for the whole page (ScopeMemo), not on every change of a selection.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Translate } from './catalogue.js';
import type { MessageKey } from './messages.js';
import { choiceLabel, scopeKey, type ScopeChoice, type SeriesScope, type VisibleScope } from './scope.js';

/** Visible scopes by api-base, token and WABA, shared by every widget of the page (a few keys at most). */
const shared = new Map<string, Promise<VisibleScope>>();

/**
 * The visible scope for one key, loaded once for the whole page; a failed load is forgotten so a retry asks
 * again. Each element keeps its own instance so a change of its inputs simply asks for another key.
 */
export class ScopeMemo {
  get(key: string, load: () => Promise<VisibleScope>): Promise<VisibleScope> {
    let p = shared.get(key);
    if (!p) {
      if (shared.size >= 16) shared.clear();
      p = load();
      shared.set(key, p);
      const mine = p;
      p.catch(() => {
        if (shared.get(key) === mine) shared.delete(key);
      });
    }
    return p;
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
