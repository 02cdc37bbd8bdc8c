import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import type { ClientAccount } from '../registry/client-account';

/** What a successful authentication attaches to the request. */
export interface AuthenticatedClient {
  readonly principal: ClientCertPrincipal;
  readonly account: ClientAccount;
}
