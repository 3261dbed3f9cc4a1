import { describe, expect, it } from 'vitest';
import { emptyCustomerState, type CustomerState } from '../../worker/gate/customer-state.js';
import {
  decideMessage,
  type MessageInput,
  type RegimeAt,
  type TemplateCategory,
} from '../../worker/gate/decide-message.js';

const H = 3_600_000;
const T0 = Date.parse('2025-08-01T00:00:00Z');
const PMP: RegimeAt = { pricingModel: 'PMP', serviceFree: true };
const CBP: RegimeAt = { pricingModel: 'CBP', serviceFree: true };
const CBP_R2: RegimeAt = { pricingModel: 'CBP', serviceFree: false };

const inbound = (h: number, extra: Partial<MessageInput> = {}): MessageInput => ({
  direction: 'inbound',
  at: T0 + h * H,
  ...extra,
});
const tpl = (h: number, category: TemplateCategory): MessageInput => ({
  direction: 'outbound',
  kind: 'template',
  category,
  at: T0 + h * H,
});
const text = (h: number): MessageInput => ({ direction: 'outbound', kind: 'non_template', at: T0 + h * H });

/** A state with an open CSW (inbound at hour 0) and, optionally, an FEP window opened at hour 1. */
function stateWith(window: 'none' | 'csw' | 'fep', regime: RegimeAt): CustomerState {
  const s = emptyCustomerState();
  if (window === 'csw') decideMessage(s, inbound(0), regime);
  if (window === 'fep') {
    decideMessage(s, inbound(0, { referral: { source_type: 'ad' }, client: 'android' }), regime);
    expect(decideMessage(s, tpl(1, 'utility'), regime).reason).toBe('opens_free_entry_point');
  }
  return s;
}

describe('PMP: every row of DOMAIN.md §4.1', () => {
  // [message, outside CSW, inside CSW, inside FEP] → paid | free | refused
  const table: [string, (h: number) => MessageInput, string, string, string][] = [
    ['marketing template', (h) => tpl(h, 'marketing'), 'paid', 'paid', 'free'],
    ['authentication template', (h) => tpl(h, 'authentication'), 'paid', 'paid', 'free'],
    [
      'authentication_international template',
      (h) => tpl(h, 'authentication_international'),
      'paid',
      'paid',
      'free',
    ],
    ['utility template', (h) => tpl(h, 'utility'), 'paid', 'free', 'free'],
    ['non-template', (h) => text(h), 'refused', 'free', 'free'],
    ['inbound', (h) => inbound(h), 'free', 'free', 'free'],
  ];
  for (const [name, msg, outside, inside, fep] of table) {
    it(name, () => {
      const outcome = (window: 'none' | 'csw' | 'fep') => {
        const d = decideMessage(stateWith(window, PMP), msg(2), PMP);
        return d.allowed ? (d.paid ? 'paid' : 'free') : 'refused';
      };
      expect([outcome('none'), outcome('csw'), outcome('fep')]).toEqual([outside, inside, fep]);
    });
  }

  it('labels pricing types like the webhook does (§4.4)', () => {
    expect(decideMessage(stateWith('none', PMP), tpl(2, 'marketing'), PMP).pricing_type).toBe('regular');
    expect(decideMessage(stateWith('csw', PMP), tpl(2, 'utility'), PMP).pricing_type).toBe(
      'free_customer_service',
    );
    expect(decideMessage(stateWith('csw', PMP), text(2), PMP).pricing_type).toBe('free_customer_service');
    expect(decideMessage(stateWith('fep', PMP), tpl(2, 'marketing'), PMP).pricing_type).toBe(
      'free_entry_point',
    );
    expect(decideMessage(stateWith('none', PMP), text(2), PMP).reason).toBe('csw_closed');
  });

  it("Meta's example: 1 marketing + 2 utility outside a CSW = 3 charges, inside = 1", () => {
    const count = (s: CustomerState) =>
      [tpl(2, 'marketing'), tpl(3, 'utility'), tpl(4, 'utility')].filter((m) => decideMessage(s, m, PMP).paid)
        .length;
    expect(count(stateWith('none', PMP))).toBe(3);
    expect(count(stateWith('csw', PMP))).toBe(1);
  });
});

describe('CBP opening rules (DOMAIN.md §2.2)', () => {
  it("Meta's worked example: marketing h0, utility h4 → 2 open, utility h10 → none", () => {
    const s = emptyCustomerState();
    const a = decideMessage(s, tpl(0, 'marketing'), CBP);
    expect([a.opens_unit, a.paid, a.category]).toEqual([true, true, 'marketing']);
    const b = decideMessage(s, tpl(4, 'utility'), CBP);
    expect([b.opens_unit, b.paid, b.category]).toEqual([true, true, 'utility']);
    expect(s.conv.marketing).toBe(T0 + 24 * H);
    expect(s.conv.utility).toBe(T0 + 28 * H);
    const c = decideMessage(s, tpl(10, 'utility'), CBP);
    expect([c.opens_unit, c.paid, c.reason]).toEqual([false, false, 'in_open_utility_conversation']);
  });

  it("Meta's service example: hours 0 / 4 / 5 / 24 / 25 / 26", () => {
    const s = emptyCustomerState();
    expect(decideMessage(s, tpl(0, 'marketing'), CBP).opens_unit).toBe(true);
    expect(decideMessage(s, inbound(4), CBP).allowed).toBe(true);
    const h5 = decideMessage(s, text(5), CBP);
    expect([h5.opens_unit, h5.category]).toEqual([false, 'marketing']);
    // hour 24: the marketing conversation expires exactly now (open means strictly before its end)
    expect(s.conv.marketing > T0 + 24 * H).toBe(false);
    const h25 = decideMessage(s, text(25), CBP);
    expect([h25.opens_unit, h25.category, h25.reason]).toEqual([
      true,
      'service',
      'opens_service_conversation',
    ]);
    expect(h25.paid).toBe(false); // R3: service conversations are free
    const h26 = decideMessage(s, text(26), CBP);
    expect([h26.opens_unit, h26.category]).toEqual([false, 'service']);
  });

  it('a service conversation is paid before R3 and lets any template open its own conversation', () => {
    const s = emptyCustomerState();
    decideMessage(s, inbound(0), CBP_R2);
    const svc = decideMessage(s, text(1), CBP_R2);
    expect([svc.opens_unit, svc.paid]).toEqual([true, true]);
    const m = decideMessage(s, tpl(2, 'marketing'), CBP_R2);
    expect([m.opens_unit, m.paid, m.category]).toEqual([true, true, 'marketing']);
  });

  it('authentication_international counts in an open authentication conversation', () => {
    const s = emptyCustomerState();
    decideMessage(s, tpl(0, 'authentication'), CBP);
    expect(decideMessage(s, tpl(1, 'authentication_international'), CBP).opens_unit).toBe(false);
  });

  it('refuses a free-form message outside the CSW under CBP too', () => {
    const s = emptyCustomerState();
    decideMessage(s, tpl(0, 'marketing'), CBP);
    expect(decideMessage(s, text(1), CBP).reason).toBe('csw_closed');
  });
});

describe('free entry point (DOMAIN.md §2.3, §4.2)', () => {
  it('opens on the answer to a mobile CTWA message, closes other conversations, lasts 72 h', () => {
    const s = emptyCustomerState();
    decideMessage(s, tpl(0, 'marketing'), CBP);
    decideMessage(s, inbound(10, { referral: { source_type: 'ad' }, client: 'ios' }), CBP);
    const fep = decideMessage(s, tpl(22, 'utility'), CBP);
    expect([fep.opens_unit, fep.paid, fep.category]).toEqual([true, false, 'referral_conversion']);
    expect(s.conv.marketing).toBe(0);
    expect(s.fepUntil).toBe(T0 + (22 + 72) * H);
    // templates free inside; no new conversations
    const m = decideMessage(s, tpl(50, 'marketing'), CBP);
    expect([m.opens_unit, m.paid, m.reason]).toEqual([false, false, 'in_free_entry_point']);
    // free-form only while the CSW (10:00 + 24 h) is open
    expect(decideMessage(s, text(33), CBP).allowed).toBe(true);
    expect(decideMessage(s, text(35), CBP).reason).toBe('csw_closed');
    // hour 94: the FEP has ended; a marketing template opens a paid conversation again
    const after = decideMessage(s, tpl(94, 'marketing'), CBP);
    expect([after.opens_unit, after.paid]).toEqual([true, true]);
  });

  it('no FEP when the business answers after 24 h', () => {
    const s = emptyCustomerState();
    decideMessage(s, inbound(0, { referral: { source_type: 'post' }, client: 'android' }), PMP);
    const d = decideMessage(s, tpl(25, 'marketing'), PMP);
    expect([d.paid, d.pricing_type]).toEqual([true, 'regular']);
    expect(s.fepUntil).toBe(0);
  });

  it('no FEP from a desktop or web client', () => {
    for (const client of ['desktop', 'web'] as const) {
      const s = emptyCustomerState();
      decideMessage(s, inbound(0, { referral: { source_type: 'ad' }, client }), PMP);
      expect(decideMessage(s, tpl(1, 'marketing'), PMP).paid).toBe(true);
    }
  });

  it('under PMP every message in the 72 h is free, and it ends at hour 72', () => {
    const s = emptyCustomerState();
    decideMessage(s, inbound(0, { referral: { source_type: 'ad' } }), PMP);
    expect(decideMessage(s, tpl(1, 'marketing'), PMP).reason).toBe('opens_free_entry_point');
    expect(decideMessage(s, tpl(72, 'authentication'), PMP).paid).toBe(false);
    expect(decideMessage(s, tpl(73, 'authentication'), PMP).paid).toBe(true);
  });
});
