import { hkdfSync } from 'node:crypto';

/** Keys derived from the master secret, one per purpose, so no key is ever reused across purposes. */
export interface DerivedKeys {
  readonly jwtSigningKey: Uint8Array;
  readonly graphicKey: Uint8Array;
  /** Signs documents' expiring download links. */
  readonly linkSigningKey: Uint8Array;
}

export function deriveKeys(masterSecret: string): DerivedKeys {
  const derive = (info: string) => new Uint8Array(hkdfSync('sha256', masterSecret, 'sigil', info, 32));
  return Object.freeze({
    jwtSigningKey: derive('sigil/jwt/v1'),
    graphicKey: derive('sigil/secure-graphic/v1'),
    linkSigningKey: derive('sigil/download-links/v1'),
  });
}
