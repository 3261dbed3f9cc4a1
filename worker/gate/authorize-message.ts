/**
 * authorize = "this message is being sent (or received) now": decide it on the customer's state, check the
 * settled balance when the send is paid (or when every outbound send is gated), then record the state change
 * before answering. A dry run answers the same question without recording.
 */
import type { Config } from '../config.js';
import { InsufficientFundsError, SendUnpricedError, WindowClosedError } from '../errors.js';
import { isPositiveDecimal } from './balance-cache.js';
import {
  assignCustomerState,
  copyCustomerState,
  emptyCustomerState,
  sameCustomerState,
} from './customer-state.js';
import { decideMessage, type Decision, type MessageInput } from './decide-message.js';
import type { GateServices } from './gate-services.js';
import { localDayOf } from '../kernel/local-time.js';
import { regimeAt } from './regime-at.js';

export interface GateNumber {
  readonly phoneNumberId: string;
  readonly timezone: string;
  /** Local date from which per-message pricing applies ('YYYY-MM-DD'). */
  readonly pmpFrom: string;
  /** The WABA's currency: the rate card and balance currency. */
  readonly currency: string;
}

export interface AuthorizeInput extends MessageInput {
  /** The customer's wa_id: the recipient, or for inbound the sender. */
  readonly customer: string;
  readonly dryRun: boolean;
}

export interface AuthorizeResult extends Decision {
  readonly window: { readonly csw_open_until: string | null; readonly fep_open_until: string | null };
  readonly dry_run: boolean;
}

/** The exact out-of-funds text of the product, with the configured Hub address. */
export function insufficientFundsMessage(hubUrl: string): string {
  return (
    'The message could not be sent. You do not have enough funds on your conversation prepaid balance to ' +
    `engage in any paid conversation. Please proceed to ${hubUrl} -> “Insights & Billing” in order to top up ` +
    'your balance and optionally enable auto-renewal, which will prevent you from running out of funds in the ' +
    'future.'
  );
}

/** Why a paid send without a rate is refused: the gate cannot hold an unknown price from the balance. */
export function sendUnpricedMessage(currency: string, category: string | null): string {
  return (
    `The message could not be sent: no rate card in ${currency || 'this currency'} prices ` +
    `${category ?? 'this'} messages on this day, so its cost cannot be reserved from the prepaid balance. ` +
    'Upload the rate card in force first.'
  );
}

const CSW_CLOSED =
  'A non-template message needs an open customer service window (24 h from the customer’s last message); ' +
  'send a template instead.';

const iso = (ms: number, at: number): string | null => (ms > at ? new Date(ms).toISOString() : null);

/** Decides one message for a phone number and records its effect unless it is a dry run. */
export async function authorizeMessage(
  gate: GateServices,
  config: Pick<
    Config,
    | 'hubUrl'
    | 'gateBlocksFreeOutbound'
    | 'gateBalanceCacheMs'
    | 'gateWriteThrough'
    | 'gateFlushMs'
    | 'gateMaxCustomers'
  >,
  num: GateNumber,
  input: AuthorizeInput,
): Promise<AuthorizeResult> {
  const store = gate.state;
  const states = await store.states(num.phoneNumberId);
  if (!states.has(input.customer)) await store.recall(num.phoneNumberId, states, input.customer);
  let regime = regimeAt(input.at, num.timezone, num.pmpFrom);
  // R5: a service reply is free while the number's monthly allowance lasts (read before deciding, so the
  // decision below stays the only step between reading the state and applying it).
  const day = localDayOf(input.at, num.timezone);
  const month = `${day.slice(0, 7)}-01`;
  const service =
    input.direction === 'outbound' && (input.kind !== 'template' || input.category === 'service');
  if (regime.serviceCharged && service) {
    const left = await gate.allowances.left(num.phoneNumberId, month, Date.now(), config.gateBalanceCacheMs);
    regime = { ...regime, serviceAllowanceLeft: left };
  }
  let known: string | undefined;
  let spent = false;
  const refuse = (answer: (d: Decision, refusal?: string) => AuthorizeResult, d: Decision) => {
    if (input.dryRun) return answer(d, 'insufficient_balance');
    throw new InsufficientFundsError(insufficientFundsMessage(config.hubUrl), {
      phone_number_id: num.phoneNumberId,
      paid: d.paid,
    });
  };
  // A few passes at most: the price, the hold and the balance reads are the only awaits before the state is
  // applied, and the decision is recomputed after each, so a concurrent change to the same customer cannot be
  // lost.
  for (;;) {
    const existing = states.get(input.customer);
    const current = existing ?? emptyCustomerState();
    const next = copyCustomerState(current);
    const d = decideMessage(next, input, regime);
    // A refusal reason (dry runs only) overrides the decision's own.
    const answer = (decision: Decision, refusal?: string): AuthorizeResult => ({
      ...decision,
      ...(refusal ? { allowed: false, reason: refusal } : {}),
      window: { csw_open_until: iso(next.cswUntil, input.at), fep_open_until: iso(next.fepUntil, input.at) },
      dry_run: input.dryRun,
    });
    if (!d.allowed) {
      if (input.dryRun) return answer(d);
      throw new WindowClosedError(CSW_CLOSED, { reason: d.reason });
    }
    const outbound = input.direction === 'outbound';
    if (outbound && d.paid && !spent) {
      // The send's price is held from the balance before it may go out (gate-holds.ts); the decision is made
      // again after the wait, and a send that turned free keeps what it held (returned with the hold).
      const send = {
        currency: num.currency,
        pricingModel: d.pricing_model,
        day,
        customer: input.customer,
        category: d.category ?? 'service',
      };
      const peeked = gate.prices.peek(send);
      const price = peeked === undefined ? await gate.prices.priceOf(send) : peeked;
      if (price === null) {
        if (input.dryRun) return answer(d, 'price_unknown');
        throw new SendUnpricedError(sendUnpricedMessage(num.currency, d.category), {
          phone_number_id: num.phoneNumberId,
          currency: num.currency,
          category: d.category,
        });
      }
      // Without a wait the state cannot have moved: the decision stands as made.
      spent =
        peeked !== undefined && !input.dryRun && gate.holds.spendHeld(num.phoneNumberId, price, input.at);
      if (!spent) {
        const covered = input.dryRun
          ? await gate.holds.covers(num.phoneNumberId, price)
          : await gate.holds.spend(num.phoneNumberId, price, input.at);
        if (!covered) return refuse(answer, d);
        spent = true;
        continue;
      }
    }
    if (outbound && !d.paid && config.gateBlocksFreeOutbound) {
      const balance = known ?? gate.balances.peek(num.phoneNumberId, Date.now(), config.gateBalanceCacheMs);
      if (balance === undefined) {
        known = await gate.balances.read(num.phoneNumberId, config.gateBalanceCacheMs);
        continue;
      }
      if (!isPositiveDecimal(balance)) return refuse(answer, d);
    }
    if (input.dryRun) return answer(d);
    if (d.reason === 'service_in_free_allowance' || d.reason === 'service_charged')
      gate.allowances.noteAuthorized(num.phoneNumberId, month);
    if (!sameCustomerState(current, next)) {
      // Update the stored object in place: far fewer objects survive into the old generation under load.
      const kept = existing ?? next;
      if (existing) assignCustomerState(existing, next);
      else states.set(input.customer, next);
      const result = answer(d);
      await store.save(num.phoneNumberId, input.customer, kept, Date.now());
      return result;
    }
    return answer(d);
  }
}
