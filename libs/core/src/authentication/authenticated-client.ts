import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import type { ClientAccount } from '../registry/client-account';

/** What a successful authentication attaches to the request. */
export interface AuthenticatedClient {
  readonly principal: ClientCertPrincipal;
  readonly account: ClientAccount;
}

/**
 * Every client object this module hands out. Its brand is a private field, so the only way to
 * one is `issueAuthenticatedClient`: an object of the same shape made elsewhere (a JWT payload in
 * `request.user`, an `Object.create` of this prototype) is never taken for an authenticated
 * client. A brand, not a WeakSet of issued objects: an entry per cold authentication cost
 * 1.2-2.0 µs of its CPU (the WeakSet's growth and the collector's ephemeron work, in profiles of
 * the HTTP cold bench). Seen from outside it is a frozen `{ principal, account }`.
 */
class IssuedClient implements AuthenticatedClient {
  readonly #issued = true;

  constructor(
    readonly principal: ClientCertPrincipal,
    readonly account: ClientAccount,
  ) {
    Object.freeze(this);
  }

  static has(value: object): boolean {
    return #issued in value;
  }
}

/** Creates the frozen client of one successful authentication and marks it as the module's own. */
export function issueAuthenticatedClient(principal: ClientCertPrincipal, account: ClientAccount): AuthenticatedClient {
  return new IssuedClient(principal, account);
}

/** True only for an object `issueAuthenticatedClient` created. */
export function isIssuedClient(value: unknown): value is AuthenticatedClient {
  return typeof value === 'object' && value !== null && IssuedClient.has(value);
}
