import { describe, expect, it } from 'vitest';
import { createTranslator, languageOf, loadLanguage, setMessages } from '../../widgets/src/catalogue.js';
import { MESSAGES } from '../../widgets/src/messages.js';

describe('widgets/src/catalogue', () => {
  it('picks the shipped language by exact tag, then by language, else English', () => {
    expect(languageOf('de-AT')).toBe('de');
    expect(languageOf('pt-PT')).toBe('pt-BR');
    expect(languageOf('pt_br')).toBe('pt-BR');
    expect(languageOf('hi-IN')).toBe('hi');
    expect(languageOf('id')).toBe('id');
    expect(languageOf('nl-NL')).toBe('en');
    expect(languageOf('')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });

  it('fills {slots}, keeps unknown ones, and chooses plural forms with the locale rules', () => {
    const t = createTranslator('en-US');
    expect(t('chargesLast', { period: 'May 2025', amount: '$12.00' })).toBe(
      'Approximate charges in May 2025: $12.00.',
    );
    expect(t('chargesBand', { low: '1' })).toBe(' (80% interval 1 to {high})');
    expect(t.plural('balanceTotal', 1, { total: '$5' })).toBe('Total balance $5 across 1 number.');
    expect(t.plural('balanceTotal', 1234, { total: '$5' })).toBe('Total balance $5 across 1,234 numbers.');
  });

  it('splits a message around its slots for markup', () => {
    const t = createTranslator('en');
    expect(t.parts('reference', { id: 'X' })).toEqual(['Reference ', 'X', '']);
  });

  it('loads a language on demand and lets page and element overrides win, in that order', async () => {
    await loadLanguage('de');
    const de = createTranslator('de-DE');
    expect(de.language).toBe('de');
    expect(de('usageTitle')).not.toBe(MESSAGES.usageTitle);
    setMessages('de-CH', { usageTitle: 'Verkehr', bogus: 'x', retry: 7 });
    expect(createTranslator('de-DE')('usageTitle')).toBe('Verkehr');
    expect(createTranslator('de-DE')('retry')).toBe(de('retry'));
    expect(createTranslator('de-DE', { usageTitle: 'Nur hier' })('usageTitle')).toBe('Nur hier');
    expect(createTranslator('en')('usageTitle')).toBe('Usage');
  });
});
