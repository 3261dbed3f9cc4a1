/**
 * What the gate remembers per (phone number, customer): the windows and open CBP conversations, as epoch
 * milliseconds of their end (0 = none). A window is open at t when its end is strictly after t.
 */
export type ConversationSlot = 'marketing' | 'utility' | 'authentication' | 'service';
export const CONVERSATION_SLOTS: readonly ConversationSlot[] = [
  'service',
  'marketing',
  'utility',
  'authentication',
];

export interface CustomerState {
  /** End of the customer service window (24 h after the last inbound message). */
  cswUntil: number;
  /** A qualifying CTWA / Page CTA inbound waits for the business's answer until this time (24 h). */
  referralUntil: number;
  /** End of the free entry point window (72 h after the business answered the referral). */
  fepUntil: number;
  /** End of each open CBP conversation by category. */
  conv: Record<ConversationSlot, number>;
}

export const HOUR_MS = 3_600_000;
export const CSW_MS = 24 * HOUR_MS;
export const CONVERSATION_MS = 24 * HOUR_MS;
export const REFERRAL_ANSWER_MS = 24 * HOUR_MS;
export const FEP_MS = 72 * HOUR_MS;

/** A customer the gate has never seen. */
export function emptyCustomerState(): CustomerState {
  return {
    cswUntil: 0,
    referralUntil: 0,
    fepUntil: 0,
    conv: { marketing: 0, utility: 0, authentication: 0, service: 0 },
  };
}

/** A deep copy, so a dry run or a refused send can work on a scratch state. */
export function copyCustomerState(s: CustomerState): CustomerState {
  return { cswUntil: s.cswUntil, referralUntil: s.referralUntil, fepUntil: s.fepUntil, conv: { ...s.conv } };
}

/** Copies `from` into `to` in place (the long-lived object stays; the scratch copy dies young). */
export function assignCustomerState(to: CustomerState, from: CustomerState): void {
  to.cswUntil = from.cswUntil;
  to.referralUntil = from.referralUntil;
  to.fepUntil = from.fepUntil;
  to.conv.marketing = from.conv.marketing;
  to.conv.utility = from.conv.utility;
  to.conv.authentication = from.conv.authentication;
  to.conv.service = from.conv.service;
}

/** True when both states hold the same windows (nothing to persist). */
export function sameCustomerState(a: CustomerState, b: CustomerState): boolean {
  return (
    a.cswUntil === b.cswUntil &&
    a.referralUntil === b.referralUntil &&
    a.fepUntil === b.fepUntil &&
    a.conv.marketing === b.conv.marketing &&
    a.conv.utility === b.conv.utility &&
    a.conv.authentication === b.conv.authentication &&
    a.conv.service === b.conv.service
  );
}
