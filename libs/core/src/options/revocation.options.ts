/**
 * What to do about revocation.
 * - `off`: no CRL or OCSP checks (the local deny-list is still checked).
 * - `soft-fail`: a revoked certificate is refused; an unknown status is allowed and logged.
 * - `hard-fail`: a revoked certificate is refused; an unknown status is refused with 503.
 */
export type RevocationMode = 'off' | 'soft-fail' | 'hard-fail';

/** Where CRLs come from and how often they are refreshed. */
export interface CrlOptions {
  /**
   * Use CRLs at all (files, URLs and distribution points).
   * @default true
   * @example { enabled: false } // OCSP only
   */
  enabled?: boolean;
  /**
   * CRL files (DER or PEM `X509 CRL`), read at start and re-read on every refresh, so a CRL
   * replaced on disk is used within one refresh interval without a restart.
   * @default []
   * @example ['/etc/client-ca/ca.crl']
   */
  files?: string[];
  /**
   * CRL URLs (http or https) fetched at start and refreshed in the background.
   * @default []
   * @example ['http://crl.example.com/issuing-ca.crl']
   */
  urls?: string[];
  /**
   * Fetch the CRLs named in a certificate's CRL distribution points. The first request for an
   * unseen distribution point waits for that fetch; afterwards the CRL is refreshed in the background.
   * @default true
   * @example false
   */
  useDistributionPoints?: boolean;
  /**
   * Most distinct distribution-point URLs tracked, so forged certificates cannot grow the set without bound.
   * @default 64
   * @example 16
   */
  maxDistributionPoints?: number;
  /**
   * Longest time between two refreshes of one CRL. A CRL is refreshed at
   * `min(nextUpdate - refreshMarginMs, now + refreshIntervalMs)`.
   * @default 3_600_000 (1 hour)
   * @example 300_000
   */
  refreshIntervalMs?: number;
  /**
   * How long before nextUpdate a refresh starts.
   * @default 300_000 (5 minutes)
   * @example 60_000
   */
  refreshMarginMs?: number;
  /**
   * Delay before retrying a failed refresh (never longer than refreshIntervalMs).
   * @default 60_000
   * @example 10_000
   */
  retryIntervalMs?: number;
  /**
   * HTTP timeout for one CRL download.
   * @default 5_000
   * @example 10_000
   */
  fetchTimeoutMs?: number;
  /**
   * Largest CRL accepted, in bytes (download or file).
   * @default 20_971_520 (20 MiB)
   * @example 1_048_576
   */
  maxBytes?: number;
}

/** Caching of OCSP answers. */
export interface OcspCacheOptions {
  /**
   * Most cached answers (LRU).
   * @default 10_000
   * @example 50_000
   */
  maxEntries?: number;
  /**
   * Upper bound for caching a `good` answer; it is also never cached past its nextUpdate.
   * @default 3_600_000 (1 hour)
   * @example 600_000
   */
  maxGoodMs?: number;
  /**
   * How long a `good` answer without nextUpdate is cached (RFC 6960: newer data is always available).
   * @default 60_000
   * @example 0
   */
  goodWithoutNextUpdateMs?: number;
  /**
   * How long a `revoked` answer is cached (revocation is permanent; the bound only limits memory use).
   * @default 86_400_000 (1 day)
   * @example 604_800_000
   */
  revokedMs?: number;
}

/** A dead responder must not add its timeout to every request. */
export interface CircuitBreakerOptions {
  /**
   * Consecutive failures (timeouts, HTTP errors, unverifiable responses) that open the breaker.
   * @default 3
   * @example 5
   */
  failureThreshold?: number;
  /**
   * How long an open breaker answers `unknown` at once before one trial request is let through.
   * @default 30_000
   * @example 10_000
   */
  openMs?: number;
}

/** OCSP (RFC 6960) queries. */
export interface OcspOptions {
  /**
   * Query OCSP responders when no fresh CRL answers for a certificate.
   * @default true
   * @example { enabled: false }
   */
  enabled?: boolean;
  /**
   * A responder used instead of the certificates' AIA OCSP URLs.
   * @default undefined (use each certificate's AIA OCSP URL)
   * @example 'http://ocsp.internal.example.com/'
   */
  responderUrl?: string;
  /**
   * HTTP timeout for one query.
   * @default 2_000
   * @example 500
   */
  timeoutMs?: number;
  /**
   * Send a nonce (RFC 8954) and, when the response carries one, require it to match.
   * Off by default: most CA responders serve pre-signed responses without a nonce.
   * @default false
   * @example true
   */
  nonce?: boolean;
  /**
   * With `nonce`, refuse a response that carries no nonce (only for responders that sign live).
   * @default false
   * @example true
   */
  requireNonce?: boolean;
  /**
   * Largest response accepted, in bytes.
   * @default 65_536
   * @example 16_384
   */
  maxResponseBytes?: number;
  /**
   * Longest accepted age of a response without nextUpdate (now − thisUpdate).
   * @default 3_600_000 (1 hour)
   * @example 300_000
   */
  maxAgeWithoutNextUpdateMs?: number;
  /**
   * Caching of answers.
   * @default { maxEntries: 10_000, maxGoodMs: 3_600_000, goodWithoutNextUpdateMs: 60_000, revokedMs: 86_400_000 }
   * @example { maxGoodMs: 600_000 }
   */
  cache?: OcspCacheOptions;
  /**
   * One breaker per responder URL.
   * @default { failureThreshold: 3, openMs: 30_000 }
   * @example { failureThreshold: 5, openMs: 10_000 }
   */
  circuitBreaker?: CircuitBreakerOptions;
}

/** Settings for the paths that end at one trust anchor; unset fields inherit the global ones. */
export interface RevocationAnchorOverride {
  /**
   * The anchor's SHA-256 fingerprint (hex, colons and case ignored). One of `fingerprintSha256` or `subject` is required.
   * @default undefined
   * @example '3f:a2:…:9c' (64 hex digits)
   */
  fingerprintSha256?: string;
  /**
   * The anchor's subject as an RFC 4514 string, compared exactly as the parser renders it.
   * @default undefined
   * @example 'CN=Partner Root CA,O=Partner,C=DE'
   */
  subject?: string;
  /**
   * @default the global `mode`
   * @example 'hard-fail'
   */
  mode?: RevocationMode;
  /**
   * Turn OCSP on or off for this anchor.
   * @default the global `ocsp.enabled`
   * @example false
   */
  ocspEnabled?: boolean;
  /**
   * Turn CRLs on or off for this anchor.
   * @default the global `crl.enabled`
   * @example false
   */
  crlEnabled?: boolean;
}

export interface RevocationOptions {
  /**
   * @default 'soft-fail'
   * @example 'hard-fail'
   */
  mode?: RevocationMode;
  /**
   * Per trust anchor settings (first match wins).
   * @default []
   * @example [{ subject: 'CN=Partner Root CA', mode: 'hard-fail' }]
   */
  anchors?: RevocationAnchorOverride[];
  /**
   * CRL sources and refresh.
   * @default { enabled: true, files: [], urls: [], useDistributionPoints: true, refreshIntervalMs: 3_600_000 }
   * @example { files: ['/etc/client-ca/ca.crl'], refreshIntervalMs: 300_000 }
   */
  crl?: CrlOptions;
  /**
   * OCSP queries, asked when no fresh CRL answers.
   * @default { enabled: true, timeoutMs: 2_000, nonce: false }
   * @example { responderUrl: 'http://ocsp.internal.example.com/', timeoutMs: 1_000 }
   */
  ocsp?: OcspOptions;
  /**
   * Clock skew tolerated on thisUpdate / nextUpdate of CRLs and OCSP responses, in seconds.
   * @default 60
   * @example 5
   */
  clockSkewSeconds?: number;
}
