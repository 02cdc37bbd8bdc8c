/**
 * What a header format parser hands to the rest of the pipeline: raw DER bytes, not yet
 * trusted, plus any redundant values the proxy sent that must agree with the certificate.
 */
export interface ForwardedCertificate {
  /** DER of the client (leaf) certificate. */
  readonly leaf: Buffer;
  /** DER of the other certificates the proxy forwarded, leaf excluded, in the order sent. */
  readonly chain: readonly Buffer[];
  /**
   * Redundant claims sent beside the certificate (XFCC `Hash`, `URI`, `DNS`; GCP fingerprint; ALB serial...).
   * The extractor checks them against the parsed certificate; a mismatch is HEADER_MALFORMED.
   */
  readonly claims?: {
    /** Lowercase hex SHA-256 of the leaf DER. */
    readonly sha256?: string;
    /** Lowercase hex serial number. */
    readonly serialNumber?: string;
    /** Every URI SAN of the leaf, in certificate order (XFCC `URI=` pairs). */
    readonly uri?: readonly string[];
    /** Every DNS SAN of the leaf, in certificate order (XFCC `DNS=` pairs). */
    readonly dns?: readonly string[];
  };
}
