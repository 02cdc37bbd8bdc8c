import { LRUCache } from 'lru-cache';
import type { RegistryMatch } from '../registry/client-account';
import { sameHeaders, type WarmKey } from '../source/warm-key.builder';
import type { AuthenticatedClient } from './authenticated-client';
import type { ClientCertDecision } from './client-cert-decision';

/** A whole successful authentication, ready to hand out again. */
export interface WarmEntry {
  /** Every watched header in full (`WarmKey.headers`): a hit must match them exactly. */
  readonly headers: readonly string[];
  /** Frozen; the very object every warm hit returns. */
  readonly client: AuthenticatedClient;
  /** What `registry.touch` gets, for last-seen. */
  readonly match: RegistryMatch;
  /** Frozen `OK` decision recorded on every hit (`cached: true`, `durationMs` and `revocationMs` 0). */
  readonly decision: ClientCertDecision;
  /** Epoch ms: earliest of verdict TTL / notAfter, revocation `validUntil`, registry horizon. */
  readonly expiresAt: number;
  readonly registryGeneration: number;
  readonly revocationGeneration: number;
}

/**
 * Warm path store: request key (`TrustedProxies.warmKey`) -> finished result. Only successes
 * are stored (from a key's second success on), so a key no success produced (a duplicated header, another verdict value, another
 * peer) always misses. An entry counts only while registry and revocation data are at the
 * generations it was computed under, and until `expiresAt`.
 * Bounded like the verdict cache (same `cache.maxEntries`; 0 disables both).
 */
export class WarmCache {
  private readonly entries?: LRUCache<string, WarmEntry>;
  /** Keys of one success so far: a client is admitted on its second (see `admit`). */
  private readonly seen?: LRUCache<string, true>;

  constructor(maxEntries: number) {
    if (maxEntries > 0) {
      this.entries = new LRUCache({ max: maxEntries });
      this.seen = new LRUCache({ max: maxEntries });
    }
  }

  /**
   * Admission: true from a key's second success on. A certificate seen once (a one-off client,
   * a scan, short-lived certificates) then costs a short key, not a whole entry with every
   * header value in full (~1.4 KB): warm entries go to clients that come back.
   */
  admit(key: string): boolean {
    if (!this.seen) return false;
    if (this.entries!.has(key) || this.seen.delete(key)) return true;
    this.seen.set(key, true);
    return false;
  }

  get enabled(): boolean {
    return this.entries !== undefined;
  }

  get({ key, headers }: WarmKey, registryGeneration: number, revocationGeneration: number, now: number): WarmEntry | undefined {
    const entry = this.entries?.get(key);
    // Another request with the same lookup key (same lengths and tails): not this one's entry.
    if (entry === undefined || !sameHeaders(entry.headers, headers)) return undefined;
    if (now < entry.expiresAt && entry.registryGeneration === registryGeneration && entry.revocationGeneration === revocationGeneration) {
      return entry;
    }
    // Left in place: the next success for this key replaces it and is admitted at once.
    return undefined;
  }

  set(key: string, entry: WarmEntry, now: number): void {
    if (this.entries && entry.expiresAt > now) this.entries.set(key, entry);
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  clear(): void {
    this.entries?.clear();
    this.seen?.clear();
  }
}
