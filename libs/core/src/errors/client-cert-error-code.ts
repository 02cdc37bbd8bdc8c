/**
 * Stable codes for every way authentication by a forwarded client certificate can fail.
 * They are part of the public contract: responses, logs and metrics carry them, and
 * operators alert on them, so a code is never renamed or reused for another meaning.
 */
export const ClientCertErrorCode = {
  /** The certificate header came from a peer that matches no trusted proxy profile. */
  SOURCE_UNTRUSTED: 'SOURCE_UNTRUSTED',
  /** No certificate was forwarded (absent header or a proxy's "no certificate" sentinel). */
  CERT_MISSING: 'CERT_MISSING',
  /** The header exists but is not valid in the profile's format (duplicate, oversized, bad syntax). */
  HEADER_MALFORMED: 'HEADER_MALFORMED',
  /** A verdict header required by the profile says the proxy itself rejected the certificate. */
  PROXY_VERDICT_FAILED: 'PROXY_VERDICT_FAILED',
  /** The header decoded, but the bytes are not a well-formed X.509 certificate. */
  CERT_MALFORMED: 'CERT_MALFORMED',
  /** No path to a configured trust anchor, or a signature in the path does not verify. */
  CERT_UNTRUSTED: 'CERT_UNTRUSTED',
  /** A certificate in the path is past its notAfter. */
  CERT_EXPIRED: 'CERT_EXPIRED',
  /** A certificate in the path is before its notBefore. */
  CERT_NOT_YET_VALID: 'CERT_NOT_YET_VALID',
  /** Key usage / extended key usage does not allow TLS client authentication. */
  CERT_WRONG_USAGE: 'CERT_WRONG_USAGE',
  /** The certificate breaks a policy: weak algorithm or key, name constraints, unknown critical extension. */
  CERT_POLICY: 'CERT_POLICY',
  /**
   * The certificate names a SPIFFE trust domain (a `spiffe://` URI SAN) that the trust anchor
   * which validated it does not speak for (`spiffe.trustDomains`).
   */
  TRUST_DOMAIN_MISMATCH: 'TRUST_DOMAIN_MISMATCH',
  /** The certificate is revoked (CRL, OCSP or the local deny-list). */
  CERT_REVOKED: 'CERT_REVOKED',
  /** Revocation status could not be established and the mode is hard-fail. */
  REVOCATION_UNAVAILABLE: 'REVOCATION_UNAVAILABLE',
  /** The certificate is valid but bound to no account. */
  IDENTITY_UNKNOWN: 'IDENTITY_UNKNOWN',
  /** The certificate matches bindings of more than one account. */
  IDENTITY_AMBIGUOUS: 'IDENTITY_AMBIGUOUS',
  /** The certificate maps to an account that is disabled. */
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  /**
   * The nonce of an HMAC-signed request could not be recorded (the shared replay store is down,
   * or the store is full of unexpired nonces): refused, since a replay could not be ruled out.
   */
  REPLAY_CHECK_UNAVAILABLE: 'REPLAY_CHECK_UNAVAILABLE',
  /** The account registry could not be reached. */
  REGISTRY_UNAVAILABLE: 'REGISTRY_UNAVAILABLE',
  /** The account lacks a role the route requires. */
  ROLE_MISSING: 'ROLE_MISSING',
  /**
   * The route requires a certificate-bound access token (RFC 8705) and the verified token is not
   * bound to the presented certificate: no `cnf["x5t#S256"]`, or the thumbprint of another one.
   */
  TOKEN_NOT_BOUND: 'TOKEN_NOT_BOUND',
  /** An unexpected failure inside the module: refused (never passed), logged as a bug. */
  AUTH_INTERNAL_ERROR: 'AUTH_INTERNAL_ERROR',
} as const;

export type ClientCertErrorCode = (typeof ClientCertErrorCode)[keyof typeof ClientCertErrorCode];
