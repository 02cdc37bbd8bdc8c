import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { PathValidationResult } from './path-validation.types';

/** Options of {@link ValidationCache}. */
export interface ValidationCacheOptions {
  /** Entries kept; the least recently used goes first. @default 10000 */
  readonly max?: number;
  /** Longest life of a successful verdict (never past the earliest notAfter in its path). @default 300000 */
  readonly ttlMs?: number;
  /** Life of a failed verdict: short, so a fixed chain or a trust-store reload is seen quickly. @default 5000 */
  readonly failureTtlMs?: number;
  /** Clock, for tests. @default Date.now */
  readonly now?: () => number;
}

/**
 * Path-validation verdicts by certificate bytes and trust-store version, so a client that
 * presents the same chain again costs one hash and one map lookup.
 *
 * @example
 * const key = ValidationCache.keyFor(leaf.der, chain.map((c) => c.der), trustStore.version);
 * const result = cache.get(key) ?? cache.set(key, validator.validate(leaf, chain));
 */
export class ValidationCache {
  private readonly entries: LRUCache<string, PathValidationResult>;
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly now: () => number;

  constructor(options: ValidationCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 300_000;
    this.failureTtlMs = options.failureTtlMs ?? 5_000;
    this.now = options.now ?? Date.now;
    const clock = this.now;
    this.entries = new LRUCache({
      max: options.max ?? 10_000,
      ttl: this.ttlMs,
      // lru-cache measures TTLs with its own clock: give it ours so tests can move time.
      perf: { now: () => clock() },
      ttlResolution: 0,
    });
  }

  /**
   * The cache key: SHA-256 over the trust-store version, the leaf and the chain, each
   * length-prefixed so that no two different inputs share a byte stream.
   */
  static keyFor(leafDer: Buffer, chainDers: readonly Buffer[], version: string): string {
    const hash = createHash('sha256');
    const prefix = Buffer.alloc(4);
    for (const part of [Buffer.from(version, 'utf8'), leafDer, ...chainDers]) {
      prefix.writeUInt32BE(part.length);
      hash.update(prefix).update(part);
    }
    return hash.digest('base64');
  }

  get(key: string): PathValidationResult | undefined {
    return this.entries.get(key);
  }

  /** Stores `result` (unless it is already past its validity) and returns it. */
  set(key: string, result: PathValidationResult): PathValidationResult {
    let ttl = this.failureTtlMs;
    if (result.ok) {
      const earliest = Math.min(...result.path.map((c) => c.notAfter.getTime()));
      ttl = Math.min(this.ttlMs, earliest - this.now());
    }
    if (ttl > 0) this.entries.set(key, result, { ttl });
    else this.entries.delete(key);
    return result;
  }

  /** Drops everything, e.g. after a trust-store reload under the same version string. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
