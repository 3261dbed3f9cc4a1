import { describe, expect, it } from 'vitest';
import { parseWebhooks } from '../../worker/ingest/parse-webhooks.js';
import type { IntakeEntry } from '../../worker/intake/intake-entry.js';
import { parseEntries } from '../../worker/intake/parse-entries.js';
import { at, cbp, envelope, lines, pmp, status } from '../ingest/webhook-fixtures.js';

const entry = (seq: number, text: string): IntakeEntry => ({
  seq,
  at: '2026-03-10T12:00:00.000Z',
  partnerId: 'bsp',
  format: 'webhooks',
  keys: [],
  text,
});

const inbound = (id: string) => ({
  from: '15551234567',
  id,
  timestamp: at('2026-03-10T12:00:00Z'),
  type: 'text',
  text: { body: 'hi' },
});

describe('worker/intake: parsing the webhook entries of a derivation in slices', () => {
  it('gives what parsing their text joined by newlines gives: rows, line numbers and issues', async () => {
    const texts = [
      envelope('W1', 'N1', [status('wamid.1', 'delivered', '2026-03-10T12:00:00Z', pmp('utility'))]),
      lines(
        envelope('W1', 'N1', [status('wamid.2', 'sent', '2026-03-10T12:00:00Z', cbp('c2'))]),
        '',
        envelope('W1', 'N1', [], [inbound('wamid.in.3')]),
      ),
      `${envelope('W1', 'N2', [status('wamid.4', 'read', '2026-03-10T12:01:00Z')])}\r\n{"entry": 5}\r\n`,
      '',
      envelope('W1', 'N1', [status('wamid.5', 'bogus', 'x')], [inbound('wamid.in.6')]),
    ];
    const entries = texts.map((t, i) => entry(i + 1, t));
    const sliced = await parseEntries(entries);
    const whole = parseWebhooks(texts.join('\n'));
    expect(sliced).toEqual(whole);
    expect(whole.events.wamid.length).toBe(3);
    expect(whole.inbound.wamid.length).toBe(2);
    expect(whole.issues.length).toBeGreaterThan(1);
    expect(new Set([...whole.events.line, ...whole.inbound.line]).size).toBe(5);
  });

  it('takes the parse acceptance kept of an entry instead of parsing its text again', async () => {
    const texts = [
      envelope('W1', 'N1', [status('wamid.1', 'delivered', '2026-03-10T12:00:00Z', pmp('utility'))]),
      lines(envelope('W1', 'N1', [status('wamid.2', 'sent', '2026-03-10T12:00:00Z', cbp('c2'))]), ''),
      envelope('W1', 'N1', [status('wamid.3', 'read', '2026-03-10T12:01:00Z')]),
    ];
    const entries = texts.map((t, i) => entry(i + 1, t));
    const kept = new Map(entries.map((e) => [e.seq, parseWebhooks(e.text)]));
    const whole = parseWebhooks(texts.join('\n'));
    expect(await parseEntries(entries, (e) => kept.get(e.seq))).toEqual(whole);
    // What is kept is what is used: a kept parse of other text shows through, at its entry's lines.
    kept.set(2, parseWebhooks(envelope('W1', 'N1', [status('wamid.9', 'read', '2026-03-10T12:02:00Z')])));
    const used = await parseEntries(entries, (e) => kept.get(e.seq));
    expect(used.events.wamid).toEqual(['wamid.1', 'wamid.9', 'wamid.3']);
    expect(used.events.line).toEqual(whole.events.line);
  });
});
