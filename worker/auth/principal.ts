/** Who is calling. Admin manages partners; a partner key sees only its own WABAs; an embed token is narrower. */
export type Scope = 'read-usage' | 'read-balance' | 'add-funds';
export const ALL_SCOPES: readonly Scope[] = ['read-usage', 'read-balance', 'add-funds'];

export type Principal =
  | { readonly kind: 'admin' }
  | { readonly kind: 'partner'; readonly partnerId: string; readonly keyId: string }
  | {
      readonly kind: 'embed';
      readonly partnerId: string;
      readonly phoneNumberIds: readonly string[];
      readonly scopes: readonly Scope[];
      readonly expiresAt: number;
    };

/** A stable actor string for audit logs. */
export function describePrincipal(p: Principal): string {
  if (p.kind === 'admin') return 'admin';
  if (p.kind === 'partner') return `partner:${p.partnerId}/key:${p.keyId}`;
  return `partner:${p.partnerId}/embed`;
}
