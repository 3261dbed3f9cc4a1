/** Embed tokens: signed claims that verify only with the secret they were signed with, until they expire. */
import { describe, expect, it } from 'vitest';
import { signEmbedToken, verifyEmbedToken, type EmbedClaims } from '../../worker/auth/embed-token.js';

const SECRET = 'embed-secret-0123456789abcdef';
const NOW = new Date('2025-08-15T12:00:00Z');
const CLAIMS: EmbedClaims = {
  partner_id: 'acme',
  phone_number_ids: ['P1'],
  scopes: ['read-usage', 'read-balance'],
  exp: NOW.getTime() / 1000 + 900,
};

describe('worker/auth/embed-token', () => {
  it('verifies into an embed principal holding exactly the claims', async () => {
    const token = await signEmbedToken(SECRET, CLAIMS);
    expect(token).toMatch(/^et_/);
    expect(await verifyEmbedToken(SECRET, token, NOW)).toEqual({
      ok: true,
      principal: {
        kind: 'embed',
        partnerId: 'acme',
        phoneNumberIds: ['P1'],
        scopes: ['read-usage', 'read-balance'],
        expiresAt: CLAIMS.exp,
      },
    });
  });

  it('refuses another secret, no secret, and a changed body', async () => {
    const token = await signEmbedToken(SECRET, CLAIMS);
    expect(await verifyEmbedToken('another-secret', token, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await verifyEmbedToken(null, token, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    const forged = await signEmbedToken('another-secret', { ...CLAIMS, phone_number_ids: ['P1', 'P3'] });
    const [body] = forged.slice(3).split('.');
    const [, sig] = token.slice(3).split('.');
    expect(await verifyEmbedToken(SECRET, `et_${body}.${sig}`, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('names the partner of an expired token, and calls garbage malformed', async () => {
    const token = await signEmbedToken(SECRET, CLAIMS);
    const later = new Date(CLAIMS.exp * 1000);
    expect(await verifyEmbedToken(SECRET, token, later)).toEqual({
      ok: false,
      reason: 'expired',
      partnerId: 'acme',
    });
    expect(await verifyEmbedToken(SECRET, 'et_nodot', NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyEmbedToken(SECRET, 'ck_abc.def', NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a genuinely signed token whose scopes are unknown', async () => {
    const odd = { ...CLAIMS, scopes: ['read-everything'] } as unknown as EmbedClaims;
    expect(await verifyEmbedToken(SECRET, await signEmbedToken(SECRET, odd), NOW)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
