/**
 * The gate's rules as one pure function: given a customer's state, a message and the pricing regime at its
 * time, say whether it may go out, whether it opens a billing unit and whether that unit is paid, and move
 * the state on. DOMAIN.md §2.2 (CBP opening), §2.3 / §4.2 (FEP), §4.1 (PMP per message), §4.5 (R5: service and
 * utility in the window charged, service after a monthly free allowance per number).
 */
import {
  CONVERSATION_MS,
  CONVERSATION_SLOTS,
  CSW_MS,
  FEP_MS,
  REFERRAL_ANSWER_MS,
  type ConversationSlot,
  type CustomerState,
} from './customer-state.js';

export type TemplateCategory =
  'marketing' | 'utility' | 'authentication' | 'authentication_international' | 'service';
export type ClientKind = 'android' | 'ios' | 'web' | 'desktop';
export type PricingModel = 'CBP' | 'PMP';
export type PricingType = 'regular' | 'free_customer_service' | 'free_entry_point' | 'free_tier';

export interface MessageInput {
  readonly direction: 'inbound' | 'outbound';
  /** Outbound only: a template or a free-form (non-template) message. */
  readonly kind?: 'template' | 'non_template' | undefined;
  /** Template category (outbound templates). */
  readonly category?: TemplateCategory | undefined;
  /** Inbound only: the customer came from a Click-to-WhatsApp ad or a Page call-to-action. */
  readonly referral?: { readonly source_type: 'ad' | 'post' } | undefined;
  /** Inbound only: the customer's client; FEP needs Android or iOS. Unknown counts as mobile. */
  readonly client?: ClientKind | undefined;
  /** Epoch milliseconds of the message. */
  readonly at: number;
}

export interface RegimeAt {
  readonly pricingModel: PricingModel;
  /** CBP R3 (from 2024-11-01 local): service conversations are free. */
  readonly serviceFree: boolean;
  /**
   * R5 (PMP from 2026-10-01 local): service messages and utility templates inside the service window are
   * charged, service after the number's monthly free allowance.
   */
  readonly serviceCharged?: boolean;
  /** R5: the number still has free service messages left this local month. */
  readonly serviceAllowanceLeft?: boolean;
}

export interface Decision {
  readonly allowed: boolean;
  readonly opens_unit: boolean;
  readonly paid: boolean;
  readonly category: string | null;
  readonly pricing_model: PricingModel;
  readonly pricing_type: PricingType | null;
  /** Machine-readable why, e.g. opens_marketing_conversation, utility_free_in_csw, csw_closed. */
  readonly reason: string;
}

function slotOf(category: TemplateCategory): ConversationSlot {
  return category === 'authentication_international' ? 'authentication' : category;
}

/** Applies one message to `state` (mutating it) and returns the decision; a refusal leaves it untouched. */
export function decideMessage(state: CustomerState, msg: MessageInput, regime: RegimeAt): Decision {
  const t = msg.at;
  const base = { pricing_model: regime.pricingModel } as const;
  if (msg.direction === 'inbound') {
    state.cswUntil = Math.max(state.cswUntil, t + CSW_MS);
    const mobile = msg.client === undefined || msg.client === 'android' || msg.client === 'ios';
    const referral = msg.referral !== undefined && mobile && !(state.fepUntil > t);
    if (referral) state.referralUntil = t + REFERRAL_ANSWER_MS;
    return {
      ...base,
      allowed: true,
      opens_unit: false,
      paid: false,
      category: null,
      pricing_type: null,
      reason: referral ? 'inbound_referral_opens_csw' : 'inbound_opens_csw',
    };
  }

  const template = msg.kind === 'template';
  const category: TemplateCategory = template ? (msg.category ?? 'utility') : 'service';
  const cswOpen = state.cswUntil > t;
  if (!template && !cswOpen) {
    return {
      ...base,
      allowed: false,
      opens_unit: false,
      paid: false,
      category: 'service',
      pricing_type: null,
      reason: 'csw_closed',
    };
  }
  const pmp = regime.pricingModel === 'PMP';

  // The business answers a qualifying referral within 24 h: a 72-h FEP window starts now and closes
  // every other open conversation (§2.3, §4.2). Any answer consumes the pending referral.
  if (!(state.fepUntil > t) && state.referralUntil > t) {
    state.referralUntil = 0;
    state.fepUntil = t + FEP_MS;
    for (const s of CONVERSATION_SLOTS) state.conv[s] = 0;
    return {
      ...base,
      allowed: true,
      opens_unit: true,
      paid: false,
      category: pmp ? category : 'referral_conversion',
      pricing_type: 'free_entry_point',
      reason: 'opens_free_entry_point',
    };
  }
  state.referralUntil = 0;
  if (state.fepUntil > t) {
    return {
      ...base,
      allowed: true,
      opens_unit: pmp,
      paid: false,
      category: pmp ? category : 'referral_conversion',
      pricing_type: pmp ? 'free_entry_point' : null,
      reason: 'in_free_entry_point',
    };
  }
  return pmp
    ? decidePmp(template, category, cswOpen, regime)
    : decideCbp(state, template, category, t, regime);
}

function decidePmp(
  template: boolean,
  category: TemplateCategory,
  cswOpen: boolean,
  regime: RegimeAt,
): Decision {
  const base = { allowed: true, opens_unit: true, pricing_model: 'PMP', category } as const;
  if (regime.serviceCharged) {
    if (!template || category === 'service') {
      return regime.serviceAllowanceLeft
        ? { ...base, paid: false, pricing_type: 'free_tier', reason: 'service_in_free_allowance' }
        : { ...base, paid: true, pricing_type: 'regular', reason: 'service_charged' };
    }
    return { ...base, paid: true, pricing_type: 'regular', reason: 'template_charged' };
  }
  if (!template) {
    return {
      ...base,
      paid: false,
      pricing_type: 'free_customer_service',
      reason: 'non_template_free_in_csw',
    };
  }
  if ((category === 'utility' || category === 'service') && cswOpen) {
    return { ...base, paid: false, pricing_type: 'free_customer_service', reason: `${category}_free_in_csw` };
  }
  return { ...base, paid: true, pricing_type: 'regular', reason: 'template_charged' };
}

function decideCbp(
  state: CustomerState,
  template: boolean,
  category: TemplateCategory,
  t: number,
  regime: RegimeAt,
): Decision {
  const base = { allowed: true, pricing_model: 'CBP' } as const;
  if (template && category !== 'service') {
    const slot = slotOf(category);
    if (state.conv[slot] > t) {
      return {
        ...base,
        opens_unit: false,
        paid: false,
        category,
        pricing_type: null,
        reason: `in_open_${slot}_conversation`,
      };
    }
    state.conv[slot] = t + CONVERSATION_MS;
    return {
      ...base,
      opens_unit: true,
      paid: true,
      category,
      pricing_type: 'regular',
      reason: `opens_${slot}_conversation`,
    };
  }
  // A non-template (or service) message counts in any open conversation; otherwise it opens a service one.
  const open = CONVERSATION_SLOTS.find((s) => state.conv[s] > t);
  if (open) {
    return {
      ...base,
      opens_unit: false,
      paid: false,
      category: open,
      pricing_type: null,
      reason: `in_open_${open}_conversation`,
    };
  }
  state.conv.service = t + CONVERSATION_MS;
  return {
    ...base,
    opens_unit: true,
    paid: !regime.serviceFree,
    category: 'service',
    pricing_type: regime.serviceFree ? 'free_customer_service' : 'regular',
    reason: 'opens_service_conversation',
  };
}
