/** The payment processor's signature: `sha256=<hex>`, the HMAC-SHA256 of the raw body with the signing secret. */
import { hmacSha256Hex } from '../auth/crypto.js';

/** The signature header value for a body (used by tests and by anyone simulating the processor). */
export async function signPayload(secret: string, body: string): Promise<string> {
  return `sha256=${await hmacSha256Hex(secret, body)}`;
}
