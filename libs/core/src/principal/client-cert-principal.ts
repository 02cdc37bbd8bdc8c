import type { DnAttribute } from '../certificate/parsed-certificate';
import type { MatchedBinding } from '../registry/client-account';

/**
 * The verified identity a controller receives through `@ClientCert()`. Every field comes from
 * the certificate after path validation and revocation checks, never from companion headers.
 */
export interface ClientCertPrincipal {
  /** Subject DN as an RFC 4514 string, e.g. `CN=orders-client,O=Example`. */
  readonly subject: string;
  readonly subjectAttributes: readonly DnAttribute[];
  /** Issuer DN as an RFC 4514 string. */
  readonly issuer: string;
  readonly issuerAttributes: readonly DnAttribute[];
  /** Lowercase hex serial number. */
  readonly serialNumber: string;
  /** Lowercase hex SHA-256 of the certificate DER. */
  readonly fingerprintSha256: string;
  /** Lowercase hex SHA-256 of the SubjectPublicKeyInfo DER. */
  readonly spkiSha256: string;
  readonly san: {
    readonly dns: readonly string[];
    readonly uri: readonly string[];
    readonly email: readonly string[];
    readonly ip: readonly string[];
    readonly upn: readonly string[];
  };
  /** The SPIFFE ID when the certificate is a valid X.509-SVID. */
  readonly spiffeId?: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /**
   * Lowercase hex SHA-256 of the SubjectPublicKeyInfo of the CA that signed the leaf (the first
   * certificate after the leaf in the validated path). Unlike the issuer DN, which any CA can
   * copy, it names the key: registry bindings scoped with `spki:<hex>` compare it.
   */
  readonly issuerSpkiSha256: string;
  /** Lowercase hex SHA-256 of the SubjectPublicKeyInfo of the trust anchor that ended the path. */
  readonly anchorSpkiSha256: string;
  /** SHA-256 fingerprints of the validated path, leaf first, anchor last. */
  readonly chainFingerprints: readonly string[];
  /** The trusted proxy profile that delivered the certificate. */
  readonly profile: string;
  /** The header format it arrived in. */
  readonly format: string;
  /** The registry binding that matched (set once the account is resolved). */
  readonly binding?: MatchedBinding;
}
