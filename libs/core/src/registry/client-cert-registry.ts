import type { ClientCertPrincipal } from '../principal/client-cert-principal';
import type { BindingScopeSummary } from '../options/setup-lint.rules';
import type { RegistryMatch } from './client-account';

/** An account and the soonest notAfter among the certificates last seen on its bindings. */
export interface AccountCertificateExpiry {
  /** The account's name (operator data, not request input). */
  readonly account: string;
  readonly notAfter: Date;
}

/** What a registry knows about one certificate: is it on the deny-list, and which account is bound to it. */
export interface RegistryLookup {
  readonly denied: boolean;
  /** `null` when no account is bound, and always when `denied` (a denied certificate is not resolved). */
  readonly match: RegistryMatch | null;
}

/**
 * The port between the authentication pipeline and wherever accounts live. Provide an
 * implementation (the TypeORM one in `@client-cert-auth/registry`, or your own) under this
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
  abstract isDenied(certificate: { readonly fingerprintSha256: string; readonly issuer: string; readonly serialNumber: string }): Promise<boolean>;

  /**
   * Both questions the authenticator asks about a certificate it has validated, in its order:
   * the deny-list first, then the binding. This default calls `isDenied`, then `resolve` only
   * when not denied, so a registry implementing just those two keeps working; a registry that
   * can answer both in one pass (one cache probe, one statement) overrides it.
   * @throws ClientCertError as `resolve` does (`IDENTITY_AMBIGUOUS`, `REGISTRY_UNAVAILABLE`).
   */
  async lookup(principal: ClientCertPrincipal): Promise<RegistryLookup> {
    if (await this.isDenied(principal)) return { denied: true, match: null };
    return { denied: false, match: await this.resolve(principal) };
  }

  /**
   * Optional, the authenticator's: `lookup`'s answer when the registry can give it synchronously
   * from memory (no I/O), or `undefined`, and the authenticator awaits `lookup` instead. It must
   * answer exactly as `lookup` would at that moment (including throwing `IDENTITY_AMBIGUOUS`);
   * a never-seen certificate answered this way costs no promise chain.
   */
  lookupNow?(principal: ClientCertPrincipal): RegistryLookup | undefined;

  /**
   * Optional, for the authenticator's warm path: a number that changes whenever an answer this
   * registry gave may have changed (every invalidation it applies, a rotation-window edge, the
   * end of its cache TTL). Answers given while it returned `g` may be reused while it still
   * returns `g`. `undefined` when the registry would not trust its own cache either (e.g. its
   * invalidation channel is down): no reuse at all. Registries without it get no warm path.
   */
  generation?(): number | undefined;

  /**
   * Optional: the warm path reused `match` without calling `resolve`; record the sighting
   * (last seen) as `resolve` would. Must be cheap and synchronous: no I/O per request.
   */
  touch?(match: RegistryMatch): void;

  /**
   * Optional: until when (epoch ms) `match`, as returned by `resolve`, may be reused while
   * `generation()` is unchanged (cache TTL, rotation-window edge). `undefined`: no limit
   * beyond `generation()`.
   */
  reusableUntil?(match: RegistryMatch): number | undefined;

  /**
   * Optional, read once at application bootstrap for the start-up checks: how many name-based
   * bindings are not tied to a CA key (rule `binding-scoped-by-name`).
   */
  describeBindings?(): Promise<BindingScopeSummary>;

  /**
   * Optional, read at metrics scrape time (gauge `client_cert_account_cert_expiry_timestamp_seconds`):
   * per active account, the soonest notAfter among the certificates last seen on its bindings,
   * soonest first, at most `limit` accounts. Registries without it get no such gauge.
   */
  soonestExpiries?(limit: number): Promise<readonly AccountCertificateExpiry[]>;
}
