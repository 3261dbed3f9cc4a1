import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../widgets/src/catalogue.js';
import {
  choiceLabel,
  describeScope,
  pickScope,
  scopeChoices,
  type VisibleScope,
} from '../../widgets/src/scope.js';

const v: VisibleScope = {
  numbers: [
    {
      phone_number_id: 'P1',
      waba_id: 'W1',
      display_phone_number: '15550001',
      label: 'Sales',
      currency: 'USD',
    },
    { phone_number_id: 'P2', waba_id: 'W1', display_phone_number: '15550002', label: null, currency: 'USD' },
    { phone_number_id: 'P4', waba_id: 'W2', display_phone_number: null, label: 'Mumbai', currency: 'INR' },
  ],
  wabas: [
    { waba_id: 'W1', name: 'Acme US', currency: 'USD', timezone: 'UTC' },
    { waba_id: 'W2', name: 'Acme India', currency: 'INR', timezone: 'Asia/Kolkata' },
  ],
};
const t = createTranslator('en-US');

describe('widgets/src/scope', () => {
  it('offers every number, and each WABA with more than one number', () => {
    expect(scopeChoices(v, { wabas: true }).map((c) => c.key)).toEqual([
      'phone:P1',
      'phone:P2',
      'phone:P4',
      'waba:W1',
    ]);
    expect(scopeChoices(v, { wabas: false })).toHaveLength(3);
    expect(scopeChoices(v, { wabas: true }).map((c) => choiceLabel(t, v, c))).toEqual([
      'Sales',
      '+15550002',
      'Mumbai',
      'Acme US (all numbers)',
    ]);
  });

  it('picks the selector’s choice, else the attributes, else the first number', () => {
    const choices = scopeChoices(v, { wabas: true });
    const attrs = { phoneNumberId: 'P2', wabaId: '' };
    expect(pickScope(v, 'waba:W1', attrs, choices)).toEqual({ waba_id: 'W1' });
    expect(pickScope(v, 'phone:P9', attrs, choices)).toEqual({ phone_number_id: 'P2' });
    expect(pickScope(v, null, { phoneNumberId: '', wabaId: 'W2' }, choices)).toEqual({ waba_id: 'W2' });
    expect(pickScope(v, null, { phoneNumberId: '', wabaId: '' }, choices)).toEqual({ phone_number_id: 'P1' });
    expect(() =>
      pickScope({ numbers: [], wabas: [] }, null, { phoneNumberId: '', wabaId: '' }, []),
    ).toThrow();
  });

  it('names the number with its label and display number, or the WABA', () => {
    expect(describeScope(t, v, { phone_number_id: 'P1' })).toBe('Number: Sales (+15550001)');
    expect(describeScope(t, v, { phone_number_id: 'P2' })).toBe('Number: +15550002');
    expect(describeScope(t, v, { waba_id: 'W1' })).toBe('WABA: Acme US (all numbers)');
  });
});
