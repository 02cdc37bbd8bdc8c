import type { ClientCertErrorCode } from '../errors/client-cert-error-code';

/**
 * One authentication decision, as logged under the event name `client_cert.decision` and
 * handed to `onDecision`. It never carries the certificate itself, only identifiers.
 */
export interface ClientCertDecision {
  /** `OK` when the request was let through, else the refusal code. */
  readonly result: 'OK' | ClientCertErrorCode;
  /** Why it was refused (for operators; never sent to the client). */
  readonly reason?: string;
  /** The TCP peer the request came from. */
  readonly remoteAddress?: string;
  readonly profile?: string;
  readonly format?: string;
  readonly fingerprintSha256?: string;
  readonly subject?: string;
  readonly account?: string;
  /** Binding kind and value that matched, e.g. `san-uri:spiffe://example.org/orders`. */
  readonly binding?: string;
  readonly revocation?: { readonly status: string; readonly source: string; readonly dataAgeSeconds?: number };
  /** Time spent on the revocation check (CRL lookup, OCSP cache or query), in milliseconds. */
  readonly revocationMs?: number;
  /** Whether the certificate verdict came from the cache. */
  readonly cached?: boolean;
  readonly durationMs: number;
}
