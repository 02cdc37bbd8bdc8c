import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ParsedCertificate } from '../certificate/parsed-certificate';
import type { PathValidationFailureCode } from '../certificate/path-validation.types';
import type { ClientCertPrincipal } from '../principal/client-cert-principal';

/** A path-validation outcome for one (profile, leaf, chain, trust store) combination. */
export type CertificateVerdict =
  | { readonly ok: true; readonly path: readonly ParsedCertificate[]; readonly principal: ClientCertPrincipal }
  | { readonly ok: false; readonly code: PathValidationFailureCode | 'TRUST_DOMAIN_MISMATCH'; readonly reason: string };

/**
 * Caches decode + path validation + principal by the hash of the forwarded bytes, so a known
 * client costs one SHA-256 and one map lookup. A success never outlives the earliest notAfter
 * in its path; a failure is kept only briefly so a fixed clock or CA update is seen soon.
 */
export class VerdictCache {
  private readonly cache?: LRUCache<string, CertificateVerdict>;

  constructor(
    private readonly options: { maxEntries: number; ttlSeconds: number; failureTtlSeconds: number },
    private readonly trustStoreVersion: string,
  ) {
    if (options.maxEntries > 0) {
      this.cache = new LRUCache({ max: options.maxEntries, ttlAutopurge: false, allowStale: false });
    }
  }

  /**
   * The cache key of one forwarded (leaf, chain) for one profile: `profile \0 version \0 L|C
   * SHA-256`. Hot path: one one-shot `crypto.hash` (no Hash object, whose native handle the GC
   * must finalize, per request); the common chain-less case hashes the leaf bytes as they are.
   */
  keyFor(profile: string, leaf: Buffer, chain: readonly Buffer[]): string {
    if (chain.length === 0) return `${profile}\0${this.trustStoreVersion}\0L${hash('sha256', leaf, 'base64')}`;
    const parts: Buffer[] = [lengthPrefix(leaf.length), leaf];
    for (const der of chain) parts.push(lengthPrefix(der.length), der);
    return `${profile}\0${this.trustStoreVersion}\0C${hash('sha256', Buffer.concat(parts), 'base64')}`;
  }

  get(key: string): CertificateVerdict | undefined {
    return this.cache?.get(key);
  }

  set(key: string, verdict: CertificateVerdict, now: number): void {
    if (!this.cache) return;
    const ttlMs = verdict.ok ? Math.min(this.options.ttlSeconds * 1000, earliestNotAfter(verdict.path) - now) : this.options.failureTtlSeconds * 1000;
    if (ttlMs > 0) this.cache.set(key, verdict, { ttl: ttlMs });
  }

  /** Until when (epoch ms) the entry under `key` is kept; `now` when there is none. */
  expiresAt(key: string, now: number): number {
    return now + (this.cache?.getRemainingTTL(key) ?? 0);
  }

  clear(): void {
    this.cache?.clear();
  }
}

/** Length prefixes keep (a, bc) and (ab, c) from hashing alike. */
function lengthPrefix(length: number): Buffer {
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeUInt32BE(length);
  return prefix;
}

/** Earliest notAfter (epoch ms) over a validated path. */
export function earliestNotAfter(path: readonly ParsedCertificate[]): number {
  return Math.min(...path.map((c) => c.notAfter.getTime()));
}
