import type { DecisionLogOptions } from '../authentication/decision.log';
import type { CertificateBoundTokenOptions } from '../bound-token/bound-token.options';
import type { ClientCertMetricsOptions } from '../observability/metrics.options';
import type { ResponseHintOptions } from '../observability/response-hint.options';
import type { ClientCertProfileOptions } from './tls-profile.options';
import type { RevocationOptions } from './revocation.options';
import type { SetupCheckOptions } from './setup.linter';
import type { SpiffeOptions } from './spiffe.options';
import type { TrustAnchorOptions, ValidationOptions } from './trust.options';

/**
 * Everything `ClientCertAuthModule.forRoot()` accepts. Only `proxies` and `trustAnchors` are
 * required; every other option has a secure default.
 *
 * @example
 * ClientCertAuthModule.forRoot({
 *   proxies: [{ name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }],
 *   trustAnchors: { files: ['/etc/client-ca/root.pem'] },
 * })
 */
export interface ClientCertAuthOptions {
  /**
   * The proxies allowed to forward certificates (requests from any other peer are refused), and
   * the HTTPS listeners whose clients present their certificate directly (`source: 'tls'`).
   * @example [{ name: 'waf', from: ['10.0.0.0/8'], format: 'rfc9440' }, { name: 'direct', source: 'tls', ports: [8443] }]
   */
  proxies: ClientCertProfileOptions[];
  /** The CA certificates client certificates must chain to. */
  trustAnchors: TrustAnchorOptions;
  /** Path-validation policy. */
  validation?: ValidationOptions;
  /** CRL / OCSP checking. */
  revocation?: RevocationOptions;
  /**
   * Which trust anchors speak for which SPIFFE trust domains. Needed as soon as there are several
   * trust anchors and certificates carry `spiffe://` IDs: without it, those are refused.
   * @example { trustDomains: { 'company.example': { anchors: ['/etc/client-ca/company-root.pem'] } } }
   */
  spiffe?: SpiffeOptions;
  /** Limits applied before any parsing. */
  limits?: {
    /**
     * Longest accepted certificate header value (all certificate headers together), in bytes.
     * @default 65536
     */
    maxHeaderBytes?: number;
    /**
     * Most certificates accepted in one request (leaf and chain).
     * @default 10
     */
    maxCertificates?: number;
  };
  /** Caches on the hot path. */
  cache?: {
    /**
     * Validation results kept (by certificate hash). 0 disables the cache.
     * @default 10000
     */
    maxEntries?: number;
    /**
     * Most bytes each cache keeps (the verdict cache, and the warm path's cache of finished
     * results), estimated per entry from the lengths of what it holds: the bound that counts when
     * certificates or forwarded chains are large. The least recently used entries go first. The
     * entry count still applies (`maxEntries`); 0 disables both caches, like `maxEntries: 0`.
     * @default 67108864 (64 MiB)
     * @example { maxEntries: 50_000, maxBytes: 128 * 1024 * 1024 }
     */
    maxBytes?: number;
    /**
     * Longest time a successful validation is reused, in seconds. Never past the certificate's notAfter.
     * @default 300
     */
    ttlSeconds?: number;
  };
  /** Decision log levels and the audit hook. */
  decisions?: DecisionLogOptions;
  /**
   * Prometheus metrics (prom-client), read through the `ClientCertMetrics` provider.
   * @default { enabled: false }
   * @example { enabled: true, prefix: 'client_cert_' }
   */
  metrics?: ClientCertMetricsOptions;
  /**
   * Start-up checks of risky setups (wide proxy ranges, revocation off, weakened validation behind
   * a proxy that forwards unvalidated certificates). See docs/CONFIGURATION.md for the rules.
   * @default { acknowledge: [] }
   */
  setupChecks?: SetupCheckOptions;
  /**
   * What refusals tell the client (never the input, never the reason).
   * @default { expectedHeaderHint: true }
   */
  responses?: ResponseHintOptions;
  /**
   * Where `CertificateBoundTokenGuard` reads the verified access token's claims (RFC 8705).
   * @default { claims: 'user' }
   * @example { claims: 'auth.payload' }
   */
  boundTokens?: CertificateBoundTokenOptions;
}
