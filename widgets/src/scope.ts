/**
 * Which series a single-scope widget (charges, runway) shows: the `phone-number-id` attribute, else the
 * `waba-id`, else the first number the token can see.
 */
import type { ApiClient } from './api-client.js';
import { ApiError } from './api-client.js';
import type { PhoneNumber } from './data/api-types.js';

export type SeriesScope = { phone_number_id: string } | { waba_id: string };

/** Resolves the scope from attributes, asking the service for the visible numbers only when none is set. */
export async function resolveScope(
  api: ApiClient,
  phoneNumberId: string,
  wabaId: string,
  signal: AbortSignal,
  prefer: 'phone' | 'waba' = 'waba',
): Promise<SeriesScope> {
  if (phoneNumberId) return { phone_number_id: phoneNumberId };
  if (wabaId) return { waba_id: wabaId };
  const { phone_numbers } = await api.get<{ phone_numbers: PhoneNumber[] }>('/v1/phone-numbers', {}, signal);
  const first = phone_numbers[0];
  if (!first) throw new ApiError(404, 'no_numbers', 'noNumbers');
  // An embed token may cover only some numbers of a WABA, so per-number scope is the safe default there.
  return prefer === 'phone' ? { phone_number_id: first.phone_number_id } : { waba_id: first.waba_id };
}
