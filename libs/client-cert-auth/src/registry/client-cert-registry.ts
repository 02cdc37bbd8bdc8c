import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import type { RegistryMatch } from './client-account';

/**
 * The port between the authentication pipeline and wherever accounts live. Provide an
 * implementation (the TypeORM one in `@app/client-cert-registry`, or your own) under this
 * class token.
 *
 * Implementations throw `ClientCertError` with `IDENTITY_AMBIGUOUS` when two accounts match,
 * and `REGISTRY_UNAVAILABLE` when the store cannot be reached; they never return a match
 * they are unsure of.
 */
export abstract class ClientCertRegistry {
  /** The account bound to this principal, or `null` when none is. */
  abstract resolve(principal: ClientCertPrincipal): Promise<RegistryMatch | null>;

  /**
   * True when the certificate is on the local deny-list (by fingerprint, or by issuer and
   * serial). Checked in every revocation mode, including `off`.
   */
  abstract isDenied(certificate: {
    readonly fingerprintSha256: string;
    readonly issuer: string;
    readonly serialNumber: string;
  }): Promise<boolean>;
}
