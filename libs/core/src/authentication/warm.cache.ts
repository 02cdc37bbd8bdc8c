import type { RegistryMatch } from '../registry/client-account';
import { sameWarmKey, type WarmKey } from '../source/warm-key.builder';
import type { AuthenticatedClient } from './authenticated-client';
import type { ClientCertDecision } from './client-cert-decision';
import { SeenOnceKeys } from './seen-once.keys';

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
  /** The cache's own: `warmEntryBytes` of this entry, set when it is stored. */
  bytes?: number;
}

/** What the warm cache is bounded by. */
export interface WarmCacheLimits {
  readonly maxEntries: number;
  /** Sum of `warmEntryBytes` over the entries. */
  readonly maxBytes: number;
}

/**
 * Bytes one entry keeps alive, estimated from lengths alone: the entry, its frozen client,
 * decision and registry match, the principal's own fields (its names are shared), ~2.4 KB
 * together, and its identity, which holds every watched header value in full (a certificate
 * header is ~0.6-3 KB of text). Measured with `bench/profile/retained.profile.ts`: 3.0 KB per
 * entry for a P-256 leaf in an RFC 9440 header (616 characters), once the verdict cache no
 * longer shares the principal.
 */
export function warmEntryBytes(entry: Pick<WarmEntry, 'identity'>): number {
  let bytes = 2400 + entry.identity.address.length;
  for (const text of entry.identity.headers) bytes += 24 + text.length;
  return bytes;
}

/**
 * Warm path store: request key (`TrustedProxies.warmKey`) -> finished result. Only successes
 * are stored (from a key's second success on), so a key no success produced (a duplicated
 * header, another verdict value, another peer) always misses. An entry counts only while
 * registry and revocation data are at the generations it was computed under, and until
 * `expiresAt`. Bounded like the verdict cache (same `cache.maxEntries` and `cache.maxBytes`;
 * 0 disables both); the admission memory is a fixed table of 4-byte slots (`SeenOnceKeys`: twice
 * `maxEntries` rounded up to a power of two, 1,024 to 4 Mi slots).
 *
 * A plain `Map` with second-chance (CLOCK) eviction rather than an LRU list: a hit costs one
 * integer-keyed lookup and one boolean write, where lru-cache's `get` (recency list, TTL
 * bookkeeping) cost ~0.4 µs per request over HTTP (bench/). Eviction still spares entries
 * used since it last passed, which is what keeps the clients that come back.
 */
export class WarmCache {
  private readonly entries = new Map<number, WarmEntry>();
  /** Keys of one success so far: a client is admitted on its second (see `admit`). */
  private readonly seen?: SeenOnceKeys;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  /** Sum of the entries' `bytes`. */
  private storedBytes = 0;

  constructor(limits: WarmCacheLimits) {
    this.maxEntries = limits.maxEntries;
    this.maxBytes = limits.maxBytes;
    if (limits.maxEntries > 0 && limits.maxBytes > 0) this.seen = new SeenOnceKeys(limits.maxEntries);
  }

  /**
   * Admission: true from a key's second success on. A certificate seen once (a one-off client,
   * a scan, short-lived certificates) then costs a short key, not a whole entry with every
   * header value in full (~1.4 KB): warm entries go to clients that come back.
   */
  admit(key: number): boolean {
    if (!this.seen) return false;
    if (this.entries.has(key) || this.seen.has(key)) return true;
    this.seen.record(key);
    return false;
  }

  get enabled(): boolean {
    return this.seen !== undefined;
  }

  /** Whether an entry for `identity`, valid until `expiresAt`, would be kept (`set` stores nothing otherwise). */
  canHold(identity: WarmKey, expiresAt: number, now: number): boolean {
    return this.enabled && expiresAt > now && warmEntryBytes({ identity }) <= this.maxBytes;
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
    const bytes = warmEntryBytes(entry);
    this.remove(key);
    // One entry larger than the whole budget is not kept (it would empty the cache for itself).
    if (bytes > this.maxBytes) return;
    while (this.entries.size > 0 && (this.entries.size >= this.maxEntries || this.storedBytes + bytes > this.maxBytes)) this.evictOne();
    entry.used = false;
    entry.bytes = bytes;
    this.entries.set(key, entry);
    this.storedBytes += bytes;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The sum of the entries' `warmEntryBytes`. */
  get bytes(): number {
    return this.storedBytes;
  }

  clear(): void {
    this.entries.clear();
    this.storedBytes = 0;
    this.seen?.clear();
  }

  private remove(key: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.storedBytes -= entry.bytes ?? 0;
  }

  /**
   * Removes the oldest entry not used since eviction last passed it; used ones go to the back
   * with their bit cleared. Ends within `size + 1` steps (a full pass clears every bit).
   */
  private evictOne(): void {
    for (const [key, entry] of this.entries) {
      this.entries.delete(key);
      if (!entry.used) {
        this.storedBytes -= entry.bytes ?? 0;
        return;
      }
      entry.used = false;
      this.entries.set(key, entry);
    }
  }
}
