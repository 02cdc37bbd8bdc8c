import type { ParsedCertificate } from './parsed-certificate';

/** Failure codes path validation can return (a subset of ClientCertErrorCode). */
export type PathValidationFailureCode = 'CERT_MALFORMED' | 'CERT_UNTRUSTED' | 'CERT_EXPIRED' | 'CERT_NOT_YET_VALID' | 'CERT_WRONG_USAGE' | 'CERT_POLICY';

export type PathValidationResult =
  | {
      readonly ok: true;
      /** Leaf first, trust anchor last. */
      readonly path: readonly ParsedCertificate[];
      readonly anchor: ParsedCertificate;
    }
  | {
      readonly ok: false;
      readonly code: PathValidationFailureCode;
      /** Human-readable reason for logs and the CLI, e.g. "intermediate CN=Issuing CA expired at 2026-01-01T00:00:00Z". */
      readonly reason: string;
    };
