import { ClientCertErrorCode } from '../errors/client-cert-error-code';
import { ClientCertError } from '../errors/client-cert.error';
import type { RevocationMode } from '../options/revocation.options';

/** The outcome of a revocation check of one validated path. */
export interface RevocationVerdict {
  /** `revoked` if any checked certificate is revoked; `unknown` if the leaf's status (or a checked intermediate's) could not be established. */
  status: 'good' | 'revoked' | 'unknown';
  /** Where the decisive answer came from. */
  source: 'crl' | 'ocsp' | 'none';
  /** The mode in force for this path (global or the anchor's override). */
  mode: RevocationMode;
  /** Why (for the log, never for the client), e.g. `OCSP responder timed out after 2000 ms`. */
  reason?: string;
  /** Age of the revocation data used (now − thisUpdate), in seconds. */
  dataAgeSeconds?: number;
  /**
   * When the data behind a `good` / `revoked` verdict expires (earliest CRL nextUpdate or OCSP
   * cache expiry over the checked certificates). A verdict cache must not keep it longer.
   */
  validUntil?: Date;
  /** Serial (lowercase hex) of the certificate the decisive answer is about. */
  serialNumber?: string;
}

/**
 * Turns a verdict into the pipeline's decision.
 * @throws ClientCertError `CERT_REVOKED` when revoked (every mode but `off`),
 *   `REVOCATION_UNAVAILABLE` when unknown in `hard-fail`.
 * @example enforceRevocationVerdict(await checker.check(path));
 */
export function enforceRevocationVerdict(verdict: RevocationVerdict): void {
  if (verdict.mode === 'off') return;
  const details = { source: verdict.source, mode: verdict.mode, reason: verdict.reason, serialNumber: verdict.serialNumber };
  if (verdict.status === 'revoked') {
    throw new ClientCertError(
      ClientCertErrorCode.CERT_REVOKED,
      `The client certificate is revoked (${verdict.source}${verdict.reason ? `: ${verdict.reason}` : ''}); the client needs a new certificate.`,
      details,
    );
  }
  if (verdict.status === 'unknown' && verdict.mode === 'hard-fail') {
    throw new ClientCertError(
      ClientCertErrorCode.REVOCATION_UNAVAILABLE,
      `Revocation status unknown in hard-fail mode (${verdict.reason ?? 'no data'}); check the CRL / OCSP sources or use soft-fail.`,
      details,
    );
  }
}
