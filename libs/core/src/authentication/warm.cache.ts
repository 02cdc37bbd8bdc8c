import { LRUCache } from 'lru-cache';
import type { RegistryMatch } from '../registry/client-account';
import { sameWarmKey, type WarmKey } from '../source/warm-key.builder';
import type { AuthenticatedClient } from './authenticated-client';
import type { ClientCertDecision } from './client-cert-decision';

/** A whole successful authentication, ready to hand out again. */
export interface WarmEntry {
  /** The request identity that earned it (`WarmKey`): a hit must match it exactly. */
  readonly identity: WarmKey;
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
  /** Epoch ms of the last `registry.touch` for this entry (the warm path throttles it). */
  touchedAt: number;
  /** Second-chance bit, the cache's own: set by a hit, cleared when eviction passes over the entry. */
  used: boolean;
}

/**
 * Warm path store: request key (`TrustedProxies.warmKey`) -> finished result. Only successes
 * are stored (from a key's second success on), so a key no success produced (a duplicated
 * header, another verdict value, another peer) always misses. An entry counts only while
 * registry and revocation data are at the generations it was computed under, and until
 * `expiresAt`. Bounded like the verdict cache (same `cache.maxEntries`; 0 disables both).
 *
 * A plain `Map` with second-chance (CLOCK) eviction rather than an LRU list: a hit costs one
 * integer-keyed lookup and one boolean write, where lru-cache's `get` (recency list, TTL
 * bookkeeping) cost ~0.4 µs per request over HTTP (bench/). Eviction still spares entries
 * used since it last passed, which is what keeps the clients that come back.
 */
export class WarmCache {
  private readonly entries = new Map<number, WarmEntry>();
  /** Keys of one success so far: a client is admitted on its second (see `admit`). */
  private readonly seen?: LRUCache<number, true>;

  constructor(private readonly maxEntries: number) {
    if (maxEntries > 0) this.seen = new LRUCache({ max: maxEntries });
  }

  /**
   * Admission: true from a key's second success on. A certificate seen once (a one-off client,
   * a scan, short-lived certificates) then costs a short key, not a whole entry with every
   * header value in full (~1.4 KB): warm entries go to clients that come back.
   */
  admit(key: number): boolean {
    if (!this.seen) return false;
    if (this.entries.has(key) || this.seen.delete(key)) return true;
    this.seen.set(key, true);
    return false;
  }

  get enabled(): boolean {
    return this.seen !== undefined;
  }

  get(identity: WarmKey, registryGeneration: number, revocationGeneration: number, now: number): WarmEntry | undefined {
    const entry = this.entries.get(identity.key);
    // Another request with the same lookup key (a hash collision): not this one's entry.
    if (entry === undefined || !sameWarmKey(entry.identity, identity)) return undefined;
    if (now < entry.expiresAt && entry.registryGeneration === registryGeneration && entry.revocationGeneration === revocationGeneration) {
      entry.used = true;
      return entry;
    }
    // Left in place: the next success for this key replaces it and is admitted at once.
    return undefined;
  }

  set(entry: WarmEntry, now: number): void {
    if (!this.enabled || entry.expiresAt <= now) return;
    const { key } = entry.identity;
    if (!this.entries.delete(key) && this.entries.size >= this.maxEntries) this.evictOne();
    entry.used = false;
    this.entries.set(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.seen?.clear();
  }

  /**
   * Removes the oldest entry not used since eviction last passed it; used ones go to the back
   * with their bit cleared. Ends within `size + 1` steps (a full pass clears every bit).
   */
  private evictOne(): void {
    for (const [key, entry] of this.entries) {
      this.entries.delete(key);
      if (!entry.used) return;
      entry.used = false;
      this.entries.set(key, entry);
    }
  }
}
