import type { CertificatePolicyOptions } from '../certificate/path.validator';

/**
 * Trust anchors (root or intermediate CA certificates) that client certificates must chain to.
 * At least one source must yield at least one certificate.
 */
export interface TrustAnchorOptions {
  /** PEM files, each with one or more certificates. */
  files?: string[];
  /** PEM text, one or more certificates per entry. */
  pem?: string[];
  /**
   * Intermediate CA certificates (PEM files) to build paths with when the proxy does not
   * forward the chain. They are not trusted by themselves.
   */
  intermediateFiles?: string[];
}

/** Path-validation policy. */
export interface ValidationOptions {
  /**
   * Clock skew tolerated on notBefore / notAfter, in seconds.
   * @default 60
   */
  clockSkewSeconds?: number;
  /**
   * Extended key usages the leaf must allow (OIDs or names). A leaf without an EKU extension
   * allows every usage (RFC 5280).
   * @default ['clientAuth']
   */
  requiredEku?: string[];
  /**
   * Longest accepted path, leaf and anchor included.
   * @default 8
   */
  maxPathLength?: number;
  /**
   * Smallest accepted RSA modulus.
   * @default 2048
   */
  minRsaBits?: number;
  /**
   * Largest accepted RSA modulus: a key above it is refused before it verifies anything (one
   * verification grows with the square of the modulus). Between `minRsaBits` and 16384.
   * @default 8192
   */
  maxRsaBits?: number;
  /**
   * Certificate policy processing (RFC 5280 §6.1). Policies in the certificates are always
   * processed (requireExplicitPolicy, inhibitPolicyMapping, inhibitAnyPolicy); these options
   * add the relying party's own inputs. `acceptable` makes a path valid only for one of these
   * policy OIDs (and requires an explicit policy).
   * @default any policy, nothing required or inhibited
   * @example { acceptable: ['1.3.6.1.4.1.55738.1.1'] }
   */
  certificatePolicies?: CertificatePolicyOptions;
  /**
   * Verify the costly signatures (ECDSA, EdDSA, RSA from ~3,200 bits) of a never-seen
   * certificate on the libuv thread pool before its path validation, so the event loop spends
   * ~15 µs per P-256 signature instead of ~75 µs. At most UV_THREADPOOL_SIZE - 1 verifications
   * are in flight (one thread stays free for fs and dns); beyond that, for RSA-2048, and for a
   * lone request on an idle server (the hop would only add latency), they run on the main
   * thread as before. The verdict is the same either way. Turn it off to keep every
   * verification on the main thread.
   * @default true
   */
  signatureThreadPool?: boolean;
}
