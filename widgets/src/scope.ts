/**
 * Which number or WABA a single-series widget (charges, runway) shows, and how it is named: the numbers and
 * WABAs the token can see, the choices a selector offers among them, and the one picked — the selector's
 * choice, else the `phone-number-id` attribute, else the `waba-id`, else the first visible number.
 */
import { ApiError, orNull, type ApiClient } from './api-client.js';
import type { Translate } from './catalogue.js';
import { phoneName, type PhoneNumber, type Waba } from './data/api-types.js';
import { currentLabel } from './label-sync.js';

export type SeriesScope = { phone_number_id: string } | { waba_id: string };

/** What the token can see: its numbers and the WABAs they belong to. */
export interface VisibleScope {
  readonly numbers: readonly PhoneNumber[];
  readonly wabas: readonly Waba[];
}

export interface ScopeChoice {
  /** `phone:<id>` or `waba:<id>`: the selector's option value. */
  readonly key: string;
  readonly scope: SeriesScope;
}

/**
 * Loads the visible numbers (of one WABA when `wabaId` is set) and WABAs in parallel; without the WABAs' names
 * (a failed call) the WABAs go by their ids.
 */
export async function loadVisibleScope(api: ApiClient, wabaId: string): Promise<VisibleScope> {
  const [numbers, wabas] = await Promise.all([
    api.get<{ phone_numbers: PhoneNumber[] }>('/v1/phone-numbers', { waba_id: wabaId }),
    orNull(api.get<{ wabas: Waba[] }>('/v1/wabas')),
  ]);
  const ids = [...new Set(numbers.phone_numbers.map((n) => n.waba_id))];
  const named = new Map((wabas?.wabas ?? []).map((w) => [w.waba_id, w]));
  return {
    numbers: numbers.phone_numbers,
    wabas: ids.map((id) => named.get(id) ?? { waba_id: id, name: id, currency: '', timezone: '' }),
  };
}

export function scopeKey(scope: SeriesScope): string {
  return 'phone_number_id' in scope ? `phone:${scope.phone_number_id}` : `waba:${scope.waba_id}`;
}

/** Every number, then (when `wabas`) each WABA with more than one visible number as a whole. */
export function scopeChoices(v: VisibleScope, opts: { wabas: boolean }): ScopeChoice[] {
  const out: ScopeChoice[] = v.numbers.map((n) => ({
    key: `phone:${n.phone_number_id}`,
    scope: { phone_number_id: n.phone_number_id },
  }));
  if (!opts.wabas) return out;
  for (const w of v.wabas) {
    if (v.numbers.filter((n) => n.waba_id === w.waba_id).length > 1)
      out.push({ key: `waba:${w.waba_id}`, scope: { waba_id: w.waba_id } });
  }
  return out;
}

/** The scope shown: the chosen key if still offered, else the attributes, else the first number. */
export function pickScope(
  v: VisibleScope,
  chosen: string | null,
  attrs: { phoneNumberId: string; wabaId: string },
  choices: readonly ScopeChoice[],
): SeriesScope {
  const picked = chosen ? choices.find((c) => c.key === chosen) : undefined;
  if (picked) return picked.scope;
  // An attribute naming a number the token cannot see still goes to the service, which answers "not found".
  if (attrs.phoneNumberId) return { phone_number_id: attrs.phoneNumberId };
  if (attrs.wabaId) return { waba_id: attrs.wabaId };
  const first = v.numbers[0];
  if (!first) throw new ApiError(404, 'no_numbers', 'noNumbers');
  return { phone_number_id: first.phone_number_id };
}

/** A number as people know it: its label with its display number, else whichever of the two exists. */
export function numberTitle(n: PhoneNumber | undefined, id: string): string {
  if (!n) return id;
  const label = currentLabel(n.phone_number_id, n.label);
  const display = n.display_phone_number ? `+${n.display_phone_number}` : null;
  return label && display ? `${label} (${display})` : phoneName(n);
}

export function wabaTitle(v: VisibleScope, id: string): string {
  return v.wabas.find((w) => w.waba_id === id)?.name || id;
}

/** The option text of a choice in the selector. */
export function choiceLabel(t: Translate, v: VisibleScope, c: ScopeChoice): string {
  if ('phone_number_id' in c.scope) {
    const id = c.scope.phone_number_id;
    return phoneName(v.numbers.find((n) => n.phone_number_id === id) ?? { phone_number_id: id });
  }
  return t('scopeWabaOption', { name: wabaTitle(v, c.scope.waba_id) });
}

/** The line under a card's heading that names what it shows: "Number: Sales (+1…)" or "WABA: Acme (all numbers)". */
export function describeScope(t: Translate, v: VisibleScope, scope: SeriesScope): string {
  if ('phone_number_id' in scope) {
    const id = scope.phone_number_id;
    return t('scopeNumber', {
      name: numberTitle(
        v.numbers.find((n) => n.phone_number_id === id),
        id,
      ),
    });
  }
  return t('scopeWaba', { name: wabaTitle(v, scope.waba_id) });
}
