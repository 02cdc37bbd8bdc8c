import { ClientCertErrorCode } from './client-cert-error-code';

/**
 * The single place that decides which HTTP status a failure gets.
 * 401: nothing usable was presented (or, TOKEN_NOT_BOUND, an access token not bound to the certificate). 403: a certificate was presented and refused.
 * 503: a dependency needed to decide is down (never a 500, never a pass).
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ClientCertErrorCode, number>> = Object.freeze({
  SOURCE_UNTRUSTED: 401,
  CERT_MISSING: 401,
  HEADER_MALFORMED: 400,
  PROXY_VERDICT_FAILED: 403,
  CERT_MALFORMED: 403,
  CERT_UNTRUSTED: 403,
  CERT_EXPIRED: 403,
  CERT_NOT_YET_VALID: 403,
  CERT_WRONG_USAGE: 403,
  CERT_POLICY: 403,
  TRUST_DOMAIN_MISMATCH: 403,
  CERT_REVOKED: 403,
  REVOCATION_UNAVAILABLE: 503,
  IDENTITY_UNKNOWN: 403,
  IDENTITY_AMBIGUOUS: 403,
  ACCOUNT_DISABLED: 403,
  REPLAY_CHECK_UNAVAILABLE: 503,
  REGISTRY_UNAVAILABLE: 503,
  ROLE_MISSING: 403,
  // RFC 8705 §3: a token not bound to the presented certificate is an invalid_token, 401.
  TOKEN_NOT_BOUND: 401,
  AUTH_INTERNAL_ERROR: 503,
});

/** Reason phrases for the `error` field of a response body. */
export const HTTP_REASON_BY_STATUS: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  503: 'Service Unavailable',
});
