/**
 * What ingested webhooks teach the gate: an inbound message opens the customer service window (and a referral
 * from a Click-to-WhatsApp ad or Page CTA starts the 24 h the business has to answer for a free entry point),
 * and a CBP status with `conversation.expiration_timestamp` says until when that conversation (or FEP window)
 * is open. The gate otherwise learns only from authorize calls; with this, messages the partner's system never
 * sent through authorize (a customer writing in, a send from another tool) still count. Windows only grow here:
 * a late or replayed webhook never closes what the gate knows to be open.
 */
import {
  assignCustomerState,
  copyCustomerState,
  emptyCustomerState,
  sameCustomerState,
  type ConversationSlot,
  type CustomerState,
} from './customer-state.js';
import { decideMessage } from './decide-message.js';
import type { GateStateStore } from './gate-state-store.js';

export interface InboundSignal {
  readonly phone_number_id: string;
  readonly customer: string;
  /** Epoch ms of the message. */
  readonly at: number;
  readonly referral: 'ad' | 'post' | null;
}

export interface ConversationSignal {
  readonly phone_number_id: string;
  readonly customer: string;
  /** conversation.origin.type as Meta sent it. */
  readonly origin: string;
  /** Epoch ms of conversation.expiration_timestamp. */
  readonly until: number;
}

export interface WindowSignals {
  readonly inbound: readonly InboundSignal[];
  readonly conversations: readonly ConversationSignal[];
}

const SLOTS: Record<string, ConversationSlot> = {
  marketing: 'marketing',
  utility: 'utility',
  authentication: 'authentication',
  authentication_international: 'authentication',
  service: 'service',
};

/** Moves one state on by a conversation Meta reported open until `until`. */
function applyConversation(s: CustomerState, c: ConversationSignal): void {
  if (c.origin === 'referral_conversion') s.fepUntil = Math.max(s.fepUntil, c.until);
  const slot = SLOTS[c.origin];
  if (slot) s.conv[slot] = Math.max(s.conv[slot], c.until);
}

/** Applies the signals to the gate's state (memory and DuckDB); returns how many customer states changed. */
export async function learnWindows(
  store: GateStateStore,
  signals: WindowSignals,
  nowMs: number,
): Promise<number> {
  const byNumber = new Map<string, { inbound: InboundSignal[]; conversations: ConversationSignal[] }>();
  const group = (p: string) => {
    let g = byNumber.get(p);
    if (!g) byNumber.set(p, (g = { inbound: [], conversations: [] }));
    return g;
  };
  for (const i of signals.inbound) group(i.phone_number_id).inbound.push(i);
  for (const c of signals.conversations) group(c.phone_number_id).conversations.push(c);
  let changed = 0;
  for (const [phone, g] of byNumber) {
    const states = await store.states(phone);
    for (const c of new Set([...g.inbound, ...g.conversations].map((x) => x.customer)))
      await store.recall(phone, states, c);
    const touched = new Map<string, CustomerState>();
    const scratch = (customer: string) => {
      let s = touched.get(customer);
      if (!s) touched.set(customer, (s = copyCustomerState(states.get(customer) ?? emptyCustomerState())));
      return s;
    };
    for (const i of [...g.inbound].sort((a, b) => a.at - b.at)) {
      decideMessage(
        scratch(i.customer),
        { direction: 'inbound', at: i.at, ...(i.referral ? { referral: { source_type: i.referral } } : {}) },
        { pricingModel: 'PMP', serviceFree: true },
      );
    }
    for (const c of g.conversations) applyConversation(scratch(c.customer), c);
    // Applied to the live states without an await in between (an authorize call cannot slip in), then saved.
    const toSave: [string, CustomerState][] = [];
    for (const [customer, next] of touched) {
      const existing = states.get(customer);
      if (sameCustomerState(existing ?? emptyCustomerState(), next)) continue;
      if (existing) assignCustomerState(existing, next);
      else states.set(customer, next);
      toSave.push([customer, existing ?? next]);
    }
    for (const [customer, state] of toSave) await store.save(phone, customer, state, nowMs);
    changed += toSave.length;
  }
  return changed;
}
