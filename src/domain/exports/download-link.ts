import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a document's download link works. */
export const LINK_LIFETIME_SECONDS = 30 * 60;

/**
 * Signed, expiring download links: the link itself is the credential (as a pre-signed object-store URL
 * is), so it can be handed to a browser or `curl` without the API key. HMAC-SHA256 over the document
 * key and the expiry, with a key derived for this purpose only.
 */
export class DownloadLinks {
  constructor(private readonly signingKey: Uint8Array) {}

  sign(documentKey: string, expiresAt: number): string {
    return createHmac('sha256', this.signingKey).update(`${documentKey}.${expiresAt}`).digest('base64url');
  }

  /** True when the signature is this document's and the link has not expired at `nowSeconds`. */
  verify(documentKey: string, expiresAt: number, signature: string, nowSeconds: number): boolean {
    if (!Number.isSafeInteger(expiresAt) || expiresAt < nowSeconds) return false;
    const expected = Buffer.from(this.sign(documentKey, expiresAt));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
