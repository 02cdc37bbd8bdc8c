/**
 * What to do about revocation.
 * - `off`: no CRL or OCSP checks (the local deny-list is still checked).
 * - `soft-fail`: a revoked certificate is refused; an unknown status is allowed and logged.
 * - `hard-fail`: a revoked certificate is refused; an unknown status is refused with 503.
 */
export type RevocationMode = 'off' | 'soft-fail' | 'hard-fail';

export interface RevocationOptions {
  /** @default 'soft-fail' */
  mode?: RevocationMode;
}
