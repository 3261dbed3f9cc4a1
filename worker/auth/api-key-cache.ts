/**
 * API keys seen recently: the lookup (a SHA-256 and a DuckDB read) would dominate hot routes such as the send
 * gate. Keyed by the presented token, in process memory only (never stored); entries live KEY_CACHE_MS and are
 * all dropped at once when a key is revoked. One cache per store, built by the host (app-services.ts).
 */
import type { Principal } from './principal.js';

const KEY_CACHE_MS = 30_000;

export class ApiKeyCache {
  private entries = new Map<string, { principal: Principal; until: number }>();

  /** The principal of a token seen less than KEY_CACHE_MS ago. */
  get(token: string, nowMs: number): Principal | undefined {
    const hit = this.entries.get(token);
    return hit && hit.until > nowMs ? hit.principal : undefined;
  }

  remember(token: string, principal: Principal, nowMs: number): void {
    this.entries.set(token, { principal, until: nowMs + KEY_CACHE_MS });
  }

  /** Drops every remembered key (after a revocation). */
  forget(): void {
    this.entries = new Map();
  }
}
