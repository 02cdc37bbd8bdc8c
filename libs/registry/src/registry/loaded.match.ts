import type { ClientAccount, MatchedBinding, RegistryMatch } from '@client-cert-auth/core';
import type { CertificateSighting } from './last-seen.recorder';

/**
 * A match as the registry loaded it. An answer is cached per certificate (fingerprint and
 * chain), so a match object stands for exactly one certificate, and carries what the warm path
 * asks about it: until when it may be reused (its cache TTL or rotation-window edge) and the
 * certificate's sighting for last-seen. Private fields: callers see `{ account, binding }` as
 * before. They replace a WeakMap entry per never-seen certificate (an ephemeron the
 * collector traces, beside the match it describes).
 */
export class LoadedMatch implements RegistryMatch {
  readonly #horizon: number;
  readonly #sighting: CertificateSighting;

  constructor(
    readonly account: ClientAccount,
    readonly binding: MatchedBinding,
    horizon: number,
    sighting: CertificateSighting,
  ) {
    this.#horizon = horizon;
    this.#sighting = sighting;
  }

  /** Until when (epoch ms) `match` may be reused; `undefined` for a match this registry did not load. */
  static horizonOf(match: RegistryMatch): number | undefined {
    return match instanceof LoadedMatch ? match.#horizon : undefined;
  }

  /** The certificate `match` was loaded for; `undefined` for a match this registry did not load. */
  static sightingOf(match: RegistryMatch): CertificateSighting | undefined {
    return match instanceof LoadedMatch ? match.#sighting : undefined;
  }
}
