import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import type { ClientAccount } from '../registry/client-account';

/** What a successful authentication attaches to the request. */
export interface AuthenticatedClient {
  readonly principal: ClientCertPrincipal;
  readonly account: ClientAccount;
}

/**
 * Every client object this module handed out. Module-private, so the only way into it is
 * `issueAuthenticatedClient`: an object of the same shape made elsewhere (a JWT payload in
 * `request.user`) is never taken for an authenticated client. A WeakSet, so it keeps nothing alive;
 * one entry per cold authentication (the warm path hands out the same object again).
 */
const ISSUED = new WeakSet<object>();

/** Creates the frozen client of one successful authentication and marks it as the module's own. */
export function issueAuthenticatedClient(principal: ClientCertPrincipal, account: ClientAccount): AuthenticatedClient {
  const client: AuthenticatedClient = Object.freeze({ principal, account });
  ISSUED.add(client);
  return client;
}

/** True only for an object `issueAuthenticatedClient` created. */
export function isIssuedClient(value: unknown): value is AuthenticatedClient {
  return typeof value === 'object' && value !== null && ISSUED.has(value);
}
